package io.vsockexec.agent;

/** What every session of one agent shares. */
record SessionContext(AgentConfig config, Launcher launcher) {}
