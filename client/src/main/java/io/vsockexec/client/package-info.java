/**
 * The host SDK: run commands inside micro-VMs through their vsockexec agent (or the Go reference
 * agent), over vsock, Firecracker / Cloud Hypervisor hybrid vsock, Unix sockets or TCP.
 *
 * <ul>
 *   <li>{@link io.vsockexec.client.VsockExecClient}: made from an endpoint, runs
 *       {@link io.vsockexec.client.Command}s buffered ({@link io.vsockexec.client.ExecResult}),
 *       streaming, with piped input ({@link io.vsockexec.client.PipeExecution}) or on a terminal
 *       ({@link io.vsockexec.client.TtySession}).</li>
 *   <li>{@link io.vsockexec.client.Readiness}: waits for a booting VM's agent.</li>
 *   <li>{@link io.vsockexec.client.VsockExecException} and its subclasses: every failure, typed,
 *       naming the endpoint.</li>
 * </ul>
 *
 * <p>The wire protocol is specified in {@code docs/PROTOCOL.md}; framing and payloads come from the
 * {@code protocol} module, endpoints and connections from the {@code transport} module.
 */
package io.vsockexec.client;
