package de.nnkurs.kernelpatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.channels.LoopThread;

/**
 * Race 2 of rapaio-jupyter-kernel 3.0.1: LoopThread.start() raised its running flag after
 * Thread.start(), so a channel thread that was scheduled at once saw the flag down and ended
 * before its first round. Both tests fail with 3.0.1's class.
 */
class LoopThreadTest {

    /**
     * Deterministic: a start() whose Thread.start() throws (the thread was started before) shows
     * what start() did before it called Thread.start(). The flag must already be up by then.
     */
    @Test
    void theFlagIsUpBeforeTheThreadIsStarted() throws Exception {
        LoopThread thread = new LoopThread("loop-test", 1, () -> { });
        thread.start();
        thread.shutdown();
        thread.join(10_000);
        assertEquals(false, running(thread), "shutdown() lowers the flag");

        assertThrows(IllegalThreadStateException.class, thread::start);
        assertTrue(running(thread), "start() must raise the flag before it calls Thread.start()");
    }

    /**
     * The race itself: every started loop runs its body at least once. 3.0.1's class lost 5 to 32
     * of 2,000 such starts on a 2-core VM (more under load); this takes under a second.
     */
    @Test
    void everyStartedLoopRunsItsBody() throws Exception {
        int starts = 5_000;
        int ended = 0;
        for (int i = 0; i < starts; i++) {
            AtomicBoolean ran = new AtomicBoolean();
            LoopThread thread = new LoopThread("loop-" + i, 0, () -> ran.set(true));
            thread.start();
            while (!ran.get() && thread.isAlive()) {
                Thread.onSpinWait();
            }
            if (!ran.get()) {
                ended++;
            }
            thread.shutdown();
            thread.join(10_000);
        }
        assertEquals(0, ended, ended + " of " + starts + " loop threads ended without one round");
    }

    static boolean running(LoopThread thread) throws ReflectiveOperationException {
        Field field = LoopThread.class.getDeclaredField("running");
        field.setAccessible(true);
        return field.getBoolean(thread);
    }
}
