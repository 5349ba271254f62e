package io.vsockexec.agent;

import io.vsockexec.base.Log;

/**
 * What every connection of one agent shares.
 *
 * @param handlers the requests the agent serves, by message type
 * @param containment how sessions' processes are kept hold of (cgroups or process groups)
 */
record SessionContext(AgentConfig config, Launcher launcher, RequestHandlers handlers,
        ProcessContainment containment) {
    /** The agent's log. */
    Log log() {
        return config.log();
    }
}
