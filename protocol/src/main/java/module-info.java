/** The framed wire protocol: frame codec, message types, payload records and their JSON. */
module io.vsockexec.protocol {
    exports io.vsockexec.protocol;
}
