/**
 * What every layer uses and nothing depends on: {@link io.vsockexec.base.Deadline},
 * {@link io.vsockexec.base.Timeout}, {@link io.vsockexec.base.Durations},
 * {@link io.vsockexec.base.ByteCopy}, {@link io.vsockexec.base.Guarded} and
 * {@link io.vsockexec.base.Log}, the one logging channel.
 */
module io.vsockexec.base {
    exports io.vsockexec.base;
}
