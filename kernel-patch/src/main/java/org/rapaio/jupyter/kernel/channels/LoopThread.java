package org.rapaio.jupyter.kernel.channels;

/**
 * nnkurs start-up fix for rapaio-jupyter-kernel 3.0.1, replacing the kernel's class of the same
 * name: a thread that runs its body, sleeps, and again, until {@link #shutdown()} or an interrupt.
 *
 * <p>In 3.0.1, {@code start()} raised the running flag only after {@code Thread.start()} had
 * returned. A new thread that got a CPU first found the flag down, ended before its first round,
 * and its channel (shell, control, heartbeat, stdin) never answered. Here the flag is up before the
 * thread exists. Same public API as 3.0.1's class (kernel-patch's ReplacedApiTest checks that).
 */
public final class LoopThread extends Thread {

    private final long sleep;
    private final Runnable loopBody;
    private volatile boolean running;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public synchronized void start() {
        // First the flag, then the thread: the volatile write happens before Thread.start, so the
        // thread's first look at the flag sees it.
        running = true;
        super.start();
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    public void shutdown() {
        running = false;
    }
}
