/**
 * The end-to-end suite any agent endpoint can be run against, and the runner that runs it inside
 * user-mode Linux. The suites are JUnit classes in main code, so JUnit and AssertJ are main
 * dependencies here. Nothing imports this module: its package is open to JUnit's reflection and
 * exported to no one.
 */
module io.vsockexec.conformance {
    requires io.vsockexec.base;
    requires io.vsockexec.bench;
    requires io.vsockexec.client;
    requires io.vsockexec.nativeio;
    requires io.vsockexec.protocol;
    requires io.vsockexec.transport;
    requires io.vsockexec.vm;
    requires org.assertj.core;
    requires org.junit.jupiter.api;
    requires org.junit.platform.engine;
    requires org.junit.platform.launcher;

    opens io.vsockexec.conformance to org.junit.platform.commons;
}
