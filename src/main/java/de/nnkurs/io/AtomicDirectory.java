package de.nnkurs.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes a folder under a temporary name and renames it into place when complete, so a crash or an
 * error never leaves a half-written folder under the real name, and an earlier folder survives a
 * failed write. A lock file beside the folder ({@code .name.lock}) lets one writer at a time in; a
 * crash between the renames leaves the old folder under a hidden name, which the next write puts
 * back or removes, and says so.
 */
public final class AtomicDirectory {

    /** Fills a folder. */
    @FunctionalInterface
    public interface Contents {
        /**
         * Writes everything into {@code dir}.
         *
         * @param dir an empty temporary folder beside the target
         * @throws IOException if writing fails
         */
        void writeTo(Path dir) throws IOException;
    }

    /** A lock held until closed. */
    public interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** The system property that makes a write stop at a step, for the crash tests. */
    static final String PAUSE = "nnkurs.test.pause-at";

    private static Consumer<String> notices = line -> System.err.println("nnkurs: " + line);

    private AtomicDirectory() {}

    /**
     * Writes {@code target} atomically, replacing an existing folder only if it is empty or {@code
     * replaceable} accepts it, so that a mistyped target never wipes unrelated files.
     *
     * @param target the folder to create or replace
     * @param replaceable says whether an existing, non-empty folder may be replaced
     * @param kind what such a folder is, for the error, e.g. {@code "a model folder"}
     * @param contents what goes into it
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(
            Path target, Predicate<Path> replaceable, String kind, Contents contents)
            throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new IOException(target + ": cannot write a folder here");
        }
        write(target, parent, replaceable, kind, contents);
    }

    /**
     * Writes {@code target} atomically as {@link #write(Path, Predicate, String, Contents)} does,
     * but keeps the lock file and the temporary and superseded copies in {@code scratch} instead of
     * beside it: for a folder of folders that must hold nothing else, such as a DJL Serving model
     * store.
     *
     * @param target the folder to create or replace
     * @param scratch a folder on the same file system, created if missing
     * @param replaceable says whether an existing, non-empty folder may be replaced
     * @param kind what such a folder is, for the error
     * @param contents what goes into it
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(
            Path target, Path scratch, Predicate<Path> replaceable, String kind, Contents contents)
            throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new IOException(target + ": cannot write a folder here");
        }
        String name = absolute.getFileName().toString();
        Path work = scratch.toAbsolutePath().normalize();
        try {
            Files.createDirectories(parent);
            Files.createDirectories(work);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
        }
        try (FileChannel lockFile =
                        FileChannel.open(
                                work.resolve("." + name + ".lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IOException(
                        target
                                + ": another process is writing it right now (."
                                + name
                                + ".lock is locked); try again when it has finished");
            }
            recover(absolute, work, target);
            replace(absolute, work, target, replaceable, kind, contents);
        } catch (OverlappingFileLockException e) {
            throw new IOException(target + ": this process is already writing it", e);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
        }
    }

    /**
     * Takes a lock that only one process at a time can hold for {@code target}, for work longer
     * than one write, e.g. a training run that checkpoints into it: the lock file is {@code
     * .name.<purpose>.lock} beside it, separate from the lock each write takes.
     *
     * @param target the folder the work belongs to
     * @param purpose a word for the lock file's name, e.g. {@code run}
     * @param busy what to say when another process holds it, after the target's name
     * @return the held lock; close it when the work ends
     * @throws IOException naming the target if another process holds the lock or it cannot be made
     */
    public static Lock exclusive(Path target, String purpose, String busy) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new IOException(target + ": cannot lock a folder here");
        }
        String lockName = "." + absolute.getFileName() + "." + purpose + ".lock";
        FileChannel channel;
        try {
            Files.createDirectories(parent);
            channel =
                    FileChannel.open(
                            parent.resolve(lockName),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IOException(target + ": " + busy + " (" + lockName + " is locked)");
            }
            return channel::close; // closing the channel releases the lock
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException(target + ": " + busy + " in this process", e);
        }
    }

    /**
     * Repairs what a crash between two steps of an earlier write left: the old folder goes back
     * under the name if the name is empty, and unfinished or superseded copies are removed. Runs
     * under the lock, so no other writer is using them.
     */
    private static void recover(Path absolute, Path work, Path target) throws IOException {
        String name = absolute.getFileName().toString();
        List<Path> olds = leftovers(work, name, "old");
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !olds.isEmpty()) {
            Path old = olds.get(olds.size() - 1);
            Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE);
            notices.accept(target + ": restored the previous folder after an interrupted write");
            olds = olds.subList(0, olds.size() - 1);
        }
        List<Path> stale = new ArrayList<>(olds);
        stale.addAll(leftovers(work, name, "partial"));
        for (Path p : stale) {
            deleteTree(p);
            notices.accept(
                    target + ": removed " + p.getFileName() + ", left by an interrupted write");
        }
    }

    /**
     * Returns the previous folder that a write interrupted between its renames left beside {@code
     * target}, or null if there is none.
     *
     * @param target a folder written by {@link #write}
     * @return the hidden folder holding the previous content, or null
     */
    public static Path interruptedWriteLeftover(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            return null;
        }
        try {
            List<Path> olds =
                    leftovers(absolute.getParent(), absolute.getFileName().toString(), "old");
            return olds.isEmpty() ? null : olds.get(olds.size() - 1);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Path> leftovers(Path parent, String name, String state) throws IOException {
        String prefix = "." + name + "." + state + "-";
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted(Comparator.comparing(AtomicDirectory::modified))
                    .toList();
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Writes a complete copy beside the target, then swaps it in with two renames. */
    private static void replace(
            Path absolute,
            Path work,
            Path target,
            Predicate<Path> replaceable,
            String kind,
            Contents contents)
            throws IOException {
        String name = absolute.getFileName().toString();
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                throw new IOException(target + ": exists and is not a folder");
            }
            if (!isEmpty(absolute) && !replaceable.test(absolute)) {
                throw new IOException(
                        target + ": exists and is not " + kind + "; not replacing it");
            }
        }
        Path partial = Files.createDirectory(work.resolve(hidden(name, "partial")));
        try {
            try {
                contents.writeTo(partial);
            } catch (IOException e) {
                throw AtomicFile.named(target, e);
            }
            pause("written");
            if (Files.exists(absolute)) {
                // A crash from here to the delete leaves the old folder under a hidden name;
                // the next write puts it back (recover) if the new one did not arrive.
                Path old = work.resolve(hidden(name, "old"));
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                pause("moved-aside");
                try {
                    Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE); // put it back
                    throw e;
                }
                pause("replaced");
                deleteTree(old);
            } else {
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(partial);
        }
    }

    /**
     * Stops for good at a named step when the system property {@value #PAUSE} names it: the crash
     * tests kill a child process there. Does nothing otherwise.
     */
    private static void pause(String step) {
        if (step.equals(System.getProperty(PAUSE))) {
            System.err.println("paused at " + step);
            System.err.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Tells the user about a repair or clean-up, where the notices go.
     *
     * @param line one line, starting with the file it is about
     */
    public static void notice(String line) {
        notices.accept(line);
    }

    /**
     * Stops for good at a named step when the system property {@value #PAUSE} names it, like the
     * steps of {@link #write}: for the crash tests of writers built on it.
     *
     * @param step the step's name
     */
    public static void pauseForTests(String step) {
        pause(step);
    }

    /**
     * Sets where notices of repairs go (default: standard error), e.g. "restored the previous
     * folder after an interrupted write".
     *
     * @param sink receives one line per repair
     */
    public static void setNotices(Consumer<String> sink) {
        notices = sink;
    }

    /**
     * Writes {@code target} atomically; an existing folder is replaced only if it is empty.
     *
     * @param target the folder to create
     * @param contents what goes into it
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(Path target, Contents contents) throws IOException {
        write(target, dir -> false, "an empty folder", contents);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** A name beside the target that no one mistakes for a finished folder. */
    private static String hidden(String name, String state) {
        return "." + name + "." + state + "-" + UUID.randomUUID();
    }

    /**
     * Deletes a file or folder with everything in it; does nothing if it does not exist.
     *
     * @param root the file or folder
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
