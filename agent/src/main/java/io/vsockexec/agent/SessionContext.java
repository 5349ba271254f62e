package io.vsockexec.agent;

import io.vsockexec.base.Log;

/** What every session of one agent shares. */
record SessionContext(AgentConfig config, Launcher launcher) {
    /** The agent's log. */
    Log log() {
        return config.log();
    }
}
