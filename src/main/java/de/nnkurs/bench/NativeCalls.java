package de.nnkurs.bench;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls DJL's PyTorch engine makes into libtorch, for {@code bench}'s instrumented
 * figures.
 *
 * <p>Every native method of DJL's PyTorch engine is declared in one class, {@code
 * ai.djl.pytorch.jni.PyTorchLibrary}. Once {@link #install() installed}, each call to it from the
 * engine's classes first passes through {@link #count()}: a bytecode rewrite of the calling
 * classes, done by the JDK's instrumentation, which only adds that one static call before each
 * native one. The jar's manifest names this class as its launcher agent, so {@code java -jar
 * nnkurs.jar} hands it the instrumentation at start-up; nothing is rewritten until {@link
 * #install()} is called.
 */
public final class NativeCalls {

    private static final String ENGINE_PREFIX = "ai/djl/pytorch/";
    private static final String LIBRARY = ENGINE_PREFIX + "jni/PyTorchLibrary";
    private static final String SELF = NativeCalls.class.getName().replace('.', '/');
    private static final AtomicLong CALLS = new AtomicLong();
    private static volatile Instrumentation instrumentation;
    private static boolean installed;

    private NativeCalls() {}

    /**
     * Receives the instrumentation when the jar is started with {@code java -jar}.
     *
     * @param arguments unused
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(String arguments, Instrumentation inst) {
        instrumentation = inst;
    }

    /**
     * Receives the instrumentation when the jar is given as {@code -javaagent:nnkurs.jar}.
     *
     * @param arguments unused
     * @param inst the JVM's instrumentation
     */
    public static void premain(String arguments, Instrumentation inst) {
        instrumentation = inst;
    }

    /**
     * Returns whether calls can be counted in this JVM (started from the jar or with it as agent).
     */
    public static boolean available() {
        return instrumentation != null;
    }

    /**
     * Starts counting: rewrites the engine's classes that are loaded and those loaded later.
     *
     * @throws IllegalStateException if this JVM was not started from the jar
     */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        Instrumentation inst = instrumentation;
        if (inst == null) {
            throw new IllegalStateException(
                    "native calls can only be counted when nnkurs runs from its jar (java -jar"
                            + " target/nnkurs.jar, or -javaagent:target/nnkurs.jar)");
        }
        inst.addTransformer(new Rewriter(), true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().startsWith("ai.djl.pytorch.") && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        try {
            inst.retransformClasses(loaded.toArray(Class<?>[]::new));
        } catch (UnmodifiableClassException e) {
            throw new IllegalStateException("DJL's engine classes could not be instrumented", e);
        }
        installed = true;
    }

    /**
     * Returns the native calls counted so far, from every thread.
     *
     * @return the count since {@link #install()}
     */
    public static long total() {
        return CALLS.get();
    }

    /**
     * Counts the native calls {@code work} makes on any thread while it runs.
     *
     * @param work the work to count
     * @return the native calls it made
     */
    public static long during(Runnable work) {
        install();
        long before = CALLS.get();
        work.run();
        return CALLS.get() - before;
    }

    /** Called by the rewritten engine classes before each native call. */
    public static void count() {
        CALLS.incrementAndGet();
    }

    /** Puts a call of {@link #count()} before each call of a {@code PyTorchLibrary} method. */
    private static final class Rewriter implements ClassFileTransformer {
        @Override
        public byte[] transform(
                ClassLoader loader,
                String className,
                Class<?> redefined,
                ProtectionDomain domain,
                byte[] bytes) {
            if (className == null
                    || !className.startsWith(ENGINE_PREFIX)
                    || className.equals(LIBRARY)) {
                return null;
            }
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, 0);
            boolean[] changed = {false};
            reader.accept(
                    new ClassVisitor(Opcodes.ASM9, writer) {
                        @Override
                        public MethodVisitor visitMethod(
                                int access,
                                String name,
                                String descriptor,
                                String signature,
                                String[] exceptions) {
                            MethodVisitor next =
                                    super.visitMethod(
                                            access, name, descriptor, signature, exceptions);
                            return new MethodVisitor(Opcodes.ASM9, next) {
                                @Override
                                public void visitMethodInsn(
                                        int opcode,
                                        String owner,
                                        String method,
                                        String methodDescriptor,
                                        boolean isInterface) {
                                    if (owner.equals(LIBRARY) && opcode == Opcodes.INVOKEVIRTUAL) {
                                        // No arguments, no result: the operand stack and the
                                        // frames stay as they are.
                                        super.visitMethodInsn(
                                                Opcodes.INVOKESTATIC, SELF, "count", "()V", false);
                                        changed[0] = true;
                                    }
                                    super.visitMethodInsn(
                                            opcode, owner, method, methodDescriptor, isInterface);
                                }
                            };
                        }
                    },
                    0);
            return changed[0] ? writer.toByteArray() : null;
        }
    }
}
