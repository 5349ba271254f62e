/** Copies of file trees as tar streams, on either side of the connection: the guest's agent and the host's SDK. */
module io.vsockexec.copy {
    requires transitive io.vsockexec.protocol;

    exports io.vsockexec.copy;
}
