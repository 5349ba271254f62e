package io.vsockexec.nativeio.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * Method-handle classes that linking the short-call shape and its first calls would generate,
 * generated beforehand on another thread. The JDK spins each of them at run time (its AOT cache
 * keeps none) and caches it for the whole process, keyed by its basic type, whoever asked first:
 * one thread can build them while another links the shape, instead of the linking thread
 * building them one after the other. So the agent's main thread, which otherwise only waits for
 * the shape as it starts, builds these meanwhile ({@link io.vsockexec.nativeio.NativeLinking}).
 *
 * <p>The types follow how JDK 25's linker adapts a shared shape on x86-64 (a bound {@code long},
 * the count of vector registers of a variadic call, then the errno check's and the allocator's
 * bound references; the critical call's heap arguments as base and offset pairs). Elsewhere, or
 * with another JDK, some of them go unused: a few milliseconds of work on a thread that would
 * have waited, never a change in behaviour. docs/PERFORMANCE.md says how to check them.
 *
 * <p>Building them initializes neither {@link Native} nor {@link Shapes} (the linker, the C
 * library's symbols): the linking thread does that meanwhile, and a second thread asking for
 * them would only wait for it.
 */
public final class LinkingForms {
    /** The short-call shape's native handle: the address, (base, offset) for the state and each argument, the vector count. */
    private static final MethodType CRITICAL_LEAF = MethodType.methodType(long.class, long.class)
            .appendParameterTypes(pairs(1 + Shapes.MAX_ARGUMENTS))
            .appendParameterTypes(long.class);

    private LinkingForms() {}

    /** Builds them on this thread; returns once they are built (or found built by another). */
    public static void prepare() {
        boundSpecies();
        layoutPaths();
        criticalInvoker();
    }

    /**
     * The bound-handle species the linker's adaptations need ({@code Species_LLJ}, {@code _LLJL},
     * {@code _LLJLL}): binding a handle's leading arguments one by one, a reference (on top of the
     * handle itself), a {@code long}, two references, extends the species in the same order.
     */
    private static void boundSpecies() {
        MethodHandle h = find(MethodType.methodType(long.class, Object.class, long.class, Object.class, Object.class),
                "bindTarget");
        h = MethodHandles.insertArguments(h, 0, "");
        h = MethodHandles.insertArguments(h, 0, 0L);
        h = MethodHandles.insertArguments(h, 0, "");
        h = MethodHandles.insertArguments(h, 0, "");
        Objects.requireNonNull(h);
    }

    /**
     * The JDK's layout paths: the first access to a segment through a value layout builds that
     * layout's var handle through them, and their initialization generates method-handle classes;
     * the agent's first such access comes as it binds its listeners, just after the shape.
     */
    private static void layoutPaths() {
        Objects.requireNonNull(ValueLayout.JAVA_INT.varHandle());
    }

    /**
     * The direct handle and the invoker that the short-call shape's first call links: its stub
     * invokes the native handle exactly, with the type {@link #CRITICAL_LEAF}.
     */
    private static void criticalInvoker() {
        try {
            Objects.requireNonNull(MethodHandles.lookup().findVirtual(LinkingForms.class, "leafMethod", CRITICAL_LEAF));
            MethodHandle leaf = find(CRITICAL_LEAF, "leaf");
            long address = (long) leaf.invokeExact(1L, (Object) null, 0L, (Object) null, 0L, (Object) null, 0L,
                    (Object) null, 0L, (Object) null, 0L, (Object) null, 0L, (Object) null, 0L, 0L);
            if (address != 1L) {
                throw new AssertionError("the invoker returned " + address);
            }
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static Class<?>[] pairs(int count) {
        Class<?>[] types = new Class<?>[2 * count];
        for (int i = 0; i < count; i++) {
            types[2 * i] = Object.class;
            types[2 * i + 1] = long.class;
        }
        return types;
    }

    private static MethodHandle find(MethodType type, String name) {
        try {
            return MethodHandles.lookup().findStatic(LinkingForms.class, name, type);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unused") // through boundSpecies
    private static long bindTarget(Object a, long b, Object c, Object d) {
        return b;
    }

    @SuppressWarnings({"unused", "checkstyle:ParameterNumber"}) // through criticalInvoker
    private static long leaf(long address, Object b0, long o0, Object b1, long o1, Object b2, long o2, Object b3,
            long o3, Object b4, long o4, Object b5, long o5, Object b6, long o6, long vectors) {
        return address;
    }

    @SuppressWarnings({"unused", "checkstyle:ParameterNumber"}) // through criticalInvoker
    private long leafMethod(long address, Object b0, long o0, Object b1, long o1, Object b2, long o2, Object b3,
            long o3, Object b4, long o4, Object b5, long o5, Object b6, long o6, long vectors) {
        return address;
    }
}
