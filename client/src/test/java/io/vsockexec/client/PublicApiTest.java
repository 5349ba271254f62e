package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.module.ModuleReader;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SDK's public API names no native or protocol type: those modules stay behind it, so that
 * they can change without changing the SDK. Read from the module's own classes (tests run on the
 * module path).
 */
class PublicApiTest {
    private static final List<String> HIDDEN = List.of("io.vsockexec.nativeio", "io.vsockexec.protocol");

    @Test
    void noPublicSignatureNamesANativeOrProtocolType() throws Exception {
        Module client = VsockExecClient.class.getModule();
        assumeTrue(client.isNamed(), "runs on the module path only");
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : publicClasses(client)) {
            check(c.getName() + " extends", Stream.concat(Stream.of(c.getGenericSuperclass()),
                    Stream.of(c.getGenericInterfaces())).toList(), leaks);
            Stream.concat(Stream.of(c.getMethods()), Stream.of(c.getConstructors()))
                    .filter(m -> m.getDeclaringClass() != Object.class)
                    .forEach(m -> check(c.getSimpleName() + "." + m.getName(), signature(m), leaks));
            Stream.of(c.getFields()).forEach(f -> check(c.getSimpleName() + "." + f.getName(),
                    List.of(f.getGenericType()), leaks));
        }
        assertThat(leaks).isEmpty();
    }

    private static List<Class<?>> publicClasses(Module module) throws IOException, ClassNotFoundException {
        List<Class<?>> classes = new ArrayList<>();
        try (ModuleReader reader = module.getLayer().configuration().findModule(module.getName()).orElseThrow()
                .reference().open()) {
            for (String resource : reader.list().filter(n -> n.endsWith(".class") && !n.contains("-info")).toList()) {
                String name = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
                Class<?> c = Class.forName(name, false, VsockExecClient.class.getClassLoader());
                if (Modifier.isPublic(c.getModifiers())) {
                    classes.add(c);
                }
            }
        }
        assertThat(classes).contains(VsockExecClient.class, PipeExecution.class, ClientOptions.class);
        return classes;
    }

    private static List<Type> signature(Executable m) {
        List<Type> types = new ArrayList<>(List.of(m.getGenericParameterTypes()));
        types.addAll(List.of(m.getGenericExceptionTypes()));
        if (m instanceof Method method) {
            types.add(method.getGenericReturnType());
        }
        return types;
    }

    private static void check(String where, List<Type> types, List<String> leaks) {
        for (Type t : types) {
            named(t).filter(name -> HIDDEN.stream().anyMatch(name::startsWith))
                    .forEach(name -> leaks.add(where + " names " + name));
        }
    }

    /** The classes {@code t} names, type arguments and bounds included. */
    private static Stream<String> named(Type t) {
        return switch (t) {
            case null -> Stream.empty();
            case Class<?> c -> Stream.of((c.isArray() ? c.componentType() : c).getName());
            case ParameterizedType p -> Stream.concat(named(p.getRawType()), Stream.of(p.getActualTypeArguments())
                    .flatMap(PublicApiTest::named));
            case GenericArrayType a -> named(a.getGenericComponentType());
            case WildcardType w -> Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
                    .flatMap(PublicApiTest::named);
            default -> Stream.empty(); // type variables: their bounds are named where they are declared
        };
    }
}
