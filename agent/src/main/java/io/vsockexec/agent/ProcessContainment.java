package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Users;

/**
 * How the agent keeps hold of every process its sessions start, so that a cancelled session, and
 * the agent's shutdown, end them all: a cgroup per session where the agent can use cgroup v2
 * ({@link CgroupContainment}), else process groups and what a walk of the process tree finds
 * ({@link TreeContainment}). Chosen once at start-up, and said so in one log line.
 */
interface ProcessContainment {
    /** The containment of a new session; {@code name} is the session's, e.g. {@code session 7}. */
    SessionProcesses forSession(String name);

    /**
     * At the agent's shutdown, after every session was cancelled: kills what sessions left
     * running (background processes of sessions that ended normally) and frees what the
     * containment holds.
     */
    void shutdown();

    /** The containment for this agent: cgroups if {@code config} allows and the system can, else the fallback. */
    static ProcessContainment open(AgentConfig config, Log log) {
        String why;
        if (!config.cgroups()) {
            why = "off (--no-cgroups)";
        } else if (Users.effectiveUid() != 0) {
            why = "unavailable: the agent is not root";
        } else {
            CgroupContainment.Opening opening = CgroupContainment.open(config.favorDynmods(), log);
            if (opening.containment() != null) {
                return opening.containment();
            }
            why = "unavailable: " + opening.reason();
        }
        log.info("cgroups " + why + "; sessions are ended through their process groups and the processes found"
                + " below their command, and a process that left both (a double fork, setsid) can outlive its"
                + " session");
        return new TreeContainment(log, config.subreaper() || ProcessHandle.current().pid() == 1);
    }
}
