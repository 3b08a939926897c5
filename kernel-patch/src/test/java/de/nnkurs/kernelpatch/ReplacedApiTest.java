package de.nnkurs.kernelpatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rapaio.jupyter.kernel.core.RapaioKernel;

/**
 * The pin: the patch is for rapaio-jupyter-kernel 3.0.1 only, and each class it replaces must
 * offer exactly the API of 3.0.1's class (every constructor, method and field the rest of the
 * kernel can call, with its generic signature), so that the kernel's own classes link against ours.
 */
class ReplacedApiTest {

    static final String VERSION = "3.0.1";

    static Path kernelJar() throws URISyntaxException {
        // RapaioKernel is not replaced, so it comes from the kernel's own jar.
        return Path.of(RapaioKernel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void builtAgainstTheKernelVersionItIsWrittenFor() throws Exception {
        try (JarFile jar = new JarFile(kernelJar().toFile())) {
            Properties pom = new Properties();
            try (InputStream in = jar.getInputStream(
                    jar.getEntry("META-INF/maven/io.github.padreati/rapaio-jupyter-kernel/pom.properties"))) {
                pom.load(in);
            }
            assertEquals(VERSION, pom.getProperty("version"),
                    "the start-up fix is written for rapaio-jupyter-kernel " + VERSION + " only");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "org.rapaio.jupyter.kernel.channels.LoopThread",
            "org.rapaio.jupyter.kernel.channels.Channels"})
    void replacesAClassWithTheSameApi(String name) throws Exception {
        Class<?> ours = Class.forName(name);
        // The class path has ours first; the test is only meaningful if that is what loaded.
        assertFalse(Path.of(ours.getProtectionDomain().getCodeSource().getLocation().toURI())
                .equals(kernelJar()), name + " came from the kernel jar, not from the patch");
        Class<?> theirs = fromKernelJar(name);
        assertEquals(api(theirs), api(ours), name + ": the API differs from rapaio-jupyter-kernel " + VERSION);
    }

    /** The class as the kernel jar has it, loaded on its own beside ours. */
    static Class<?> fromKernelJar(String name) throws Exception {
        byte[] bytes;
        try (JarFile jar = new JarFile(kernelJar().toFile());
             InputStream in = jar.getInputStream(jar.getEntry(name.replace('.', '/') + ".class"))) {
            bytes = in.readAllBytes();
        }
        return new ClassLoader(ReplacedApiTest.class.getClassLoader()) {
            final Class<?> upstream = defineClass(name, bytes, 0, bytes.length);

            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                return n.equals(name) ? upstream : super.loadClass(n, resolve);
            }
        }.loadClass(name);
    }

    /** What other classes can see: everything not private, without the modifiers that do not link. */
    static Set<String> api(Class<?> c) {
        Set<String> api = new TreeSet<>();
        api.add(Modifier.toString(c.getModifiers()) + " class " + c.getName()
                + " extends " + c.getGenericSuperclass().getTypeName()
                + " implements " + Arrays.stream(c.getGenericInterfaces())
                        .map(t -> t.getTypeName()).collect(Collectors.joining(", ")));
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            add(api, k, k.toGenericString());
        }
        for (Method m : c.getDeclaredMethods()) {
            add(api, m, m.toGenericString());
        }
        for (Field f : c.getDeclaredFields()) {
            add(api, f, f.toGenericString());
        }
        return api;
    }

    private static void add(Set<String> api, Member member, String signature) {
        if (Modifier.isPrivate(member.getModifiers()) || member.isSynthetic()) {
            return;
        }
        api.add(signature.replaceAll("\\b(synchronized|volatile|transient) ", ""));
    }
}
