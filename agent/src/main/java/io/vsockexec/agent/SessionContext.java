package io.vsockexec.agent;

import io.vsockexec.base.Log;

/**
 * What every connection of one agent shares.
 *
 * @param handlers the requests the agent serves, by message type
 */
record SessionContext(AgentConfig config, Launcher launcher, RequestHandlers handlers) {
    /** The agent's log. */
    Log log() {
        return config.log();
    }
}
