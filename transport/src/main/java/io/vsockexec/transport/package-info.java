/**
 * One connection type over four transports, and the one parser for their endpoints.
 *
 * <ul>
 *   <li>{@link io.vsockexec.transport.Endpoint#parse} turns {@code vsock://CID:PORT},
 *       {@code hybrid:///PATH:PORT}, {@code unix:///PATH} and {@code tcp://HOST:PORT} into an
 *       {@link io.vsockexec.transport.Endpoint}; {@code toString()} gives the text back.</li>
 *   <li>{@link io.vsockexec.transport.Transports#dial} connects to an endpoint and
 *       {@link io.vsockexec.transport.Transports#listen} listens on one; both give a
 *       {@link io.vsockexec.transport.Connection}, the same class for every transport.</li>
 *   <li>The hybrid transport is the host side of Firecracker and Cloud Hypervisor vsock: a Unix
 *       socket plus a {@code CONNECT PORT} handshake. Listening on a hybrid endpoint emulates a
 *       VM's socket, so guest code can be developed and tested without a VM.</li>
 * </ul>
 *
 * <p>Everything is built on {@link io.vsockexec.nativeio.NativeSocket}: every blocking call takes
 * a {@link io.vsockexec.base.Deadline}, and closing wakes the threads blocked on it.
 */
package io.vsockexec.transport;
