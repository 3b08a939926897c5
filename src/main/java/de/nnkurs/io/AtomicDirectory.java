package de.nnkurs.io;

import de.nnkurs.InvalidSettingException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
        Path lockPath = work.resolve("." + name + ".lock");
        LockFile lockFile;
        try {
            lockFile = LockFile.open(lockPath, true);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
        }
        try {
            FileLock lock = lockFile.channel.tryLock(WRITER, 1, false);
            if (lock == null) {
                throw new IOException(
                        target
                                + ": another process is writing it right now (."
                                + name
                                + ".lock is locked); try again when it has finished");
            }
            try {
                recover(absolute, work, target);
                replace(absolute, work, target, replaceable, kind, contents, lockFile);
            } finally {
                if (lockFile.channel.isOpen()) {
                    lock.release();
                }
            }
        } catch (OverlappingFileLockException e) {
            throw new IOException(target + ": this process is already writing it", e);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
        } finally {
            lockFile.close();
        }
    }

    /**
     * Takes the readers' lock of a folder that {@link #write(Path, Predicate, String, Contents)}
     * writes: while it is held, no write swaps the folder, so everything read from it belongs to
     * one version. Many readers may hold it at once; a swap waits for them, and a reader waits for
     * a swap, each at most {@link #WAIT_SECONDS} seconds.
     *
     * @param target the folder to read
     * @return the held lock; close it when everything is read
     * @throws IOException naming the folder and the lock file if a swap does not end in time
     */
    public static Lock shared(Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            return () -> {};
        }
        return shared(target, absolute.getParent());
    }

    /**
     * Takes the readers' lock of a folder written by {@link #write(Path, Path, Predicate, String,
     * Contents)} with its lock file in {@code scratch}; see {@link #shared(Path)}.
     *
     * @param target the folder to read
     * @param scratch where its writers keep the lock file
     * @return the held lock; close it when everything is read
     * @throws IOException naming the folder and the lock file if a swap does not end in time
     */
    public static Lock shared(Path target, Path scratch) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getFileName() == null) {
            return () -> {};
        }
        Path lockPath =
                scratch.toAbsolutePath()
                        .normalize()
                        .resolve("." + absolute.getFileName() + ".lock");
        if (!Files.isRegularFile(lockPath, LinkOption.NOFOLLOW_LINKS)) {
            // No writer of ours has ever written here: there is no swap to wait for.
            return () -> {};
        }
        LockFile file;
        try {
            file = LockFile.open(lockPath, false);
        } catch (FileSystemException e) {
            return () -> {}; // unreadable: a writer could not use it either
        }
        try {
            file.acquireShared(target);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        return file::releaseShared;
    }

    /** How long a reader waits for a swap, and a swap for the readers. */
    public static final int WAIT_SECONDS = 60;

    /** The byte of the lock file that writers lock against each other. */
    private static final long WRITER = 0;

    /** The byte of the lock file that readers share and a swap locks exclusively. */
    private static final long READERS = 1;

    /**
     * A lock file as this JVM uses it: one channel per file, shared by all threads, closed when no
     * lock on it is held. (Closing any channel of a file drops every lock the JVM holds on it, so
     * there must never be two.)
     */
    private static final class LockFile {
        private static final Map<Path, LockFile> OPEN = new HashMap<>();

        private final Path path;
        private final FileChannel channel;
        private int uses;
        private int readers;
        private FileLock readersLock;

        private LockFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        /**
         * Opens (or shares) the channel; {@code write}: the file is created and opened to write.
         */
        static LockFile open(Path path, boolean write) throws IOException {
            synchronized (OPEN) {
                LockFile file = OPEN.get(path);
                if (file == null) {
                    FileChannel channel;
                    try {
                        channel =
                                write
                                        ? FileChannel.open(
                                                path,
                                                StandardOpenOption.CREATE,
                                                StandardOpenOption.READ,
                                                StandardOpenOption.WRITE)
                                        : openToRead(path);
                    } catch (AccessDeniedException e) {
                        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                            throw lockFileDenied(path, e);
                        }
                        throw e;
                    }
                    file = new LockFile(path, channel);
                    OPEN.put(path, file);
                }
                file.uses++;
                return file;
            }
        }

        private static FileChannel openToRead(Path path) throws IOException {
            try {
                return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                return FileChannel.open(path, StandardOpenOption.READ);
            }
        }

        void close() throws IOException {
            synchronized (OPEN) {
                if (--uses == 0) {
                    OPEN.remove(path);
                    channel.close();
                }
            }
        }

        void acquireShared(Path target) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                synchronized (OPEN) {
                    if (readers > 0) {
                        readers++;
                        return;
                    }
                    try {
                        readersLock = channel.tryLock(READERS, 1, true);
                    } catch (OverlappingFileLockException e) {
                        readersLock = null; // this JVM is swapping it
                    }
                    if (readersLock != null) {
                        readers = 1;
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            target
                                    + ": waited "
                                    + WAIT_SECONDS
                                    + " s for another process to finish replacing it ("
                                    + path.getFileName()
                                    + " is locked); try again when it has finished");
                }
                sleep();
            }
        }

        void releaseShared() throws IOException {
            synchronized (OPEN) {
                if (--readers == 0) {
                    readersLock.release();
                    readersLock = null;
                }
            }
            close();
        }

        /** Locks out readers for a swap, waiting for those reading now. */
        FileLock acquireSwap(Path target) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                synchronized (OPEN) {
                    if (readers == 0) {
                        try {
                            FileLock lock = channel.tryLock(READERS, 1, false);
                            if (lock != null) {
                                return lock;
                            }
                        } catch (OverlappingFileLockException e) {
                            // another thread of this JVM holds it
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            target
                                    + ": waited "
                                    + WAIT_SECONDS
                                    + " s for other processes to finish reading it ("
                                    + path.getFileName()
                                    + " is locked); nothing was replaced, try again");
                }
                sleep();
            }
        }

        private static void sleep() throws IOException {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a lock");
            }
        }
    }

    /**
     * The error for a lock file this user cannot open: it names the lock file, its owner, and what
     * to do, not the folder it guards.
     */
    static IOException lockFileDenied(Path lock, IOException cause) {
        String owner;
        try {
            owner =
                    " (it belongs to "
                            + Files.getOwner(lock, LinkOption.NOFOLLOW_LINKS).getName()
                            + ")";
        } catch (IOException | UnsupportedOperationException e) {
            owner = "";
        }
        return new IOException(
                lock
                        + ": cannot open this lock file"
                        + owner
                        + "; it holds no data: when no nnkurs of its owner is running, remove it"
                        + " (or run as its owner)",
                cause);
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
        } catch (AccessDeniedException e) {
            if (Files.exists(parent.resolve(lockName), LinkOption.NOFOLLOW_LINKS)) {
                throw lockFileDenied(parent.resolve(lockName), e);
            }
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
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
            try {
                deleteTree(p);
            } catch (IOException e) {
                throw new IOException(
                        p
                                + ": left by an interrupted write of "
                                + target
                                + " (it holds the previous version) and cannot be removed ("
                                + reason(e)
                                + "); make it writable or remove it yourself",
                        e);
            }
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
            Contents contents,
            LockFile lockFile)
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
            Path locked = readOnlyPart(absolute);
            if (locked != null) {
                throw new IOException(readOnlyMessage(target, locked));
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
                // Readers hold the readers' lock while they read: none sees half of a swap.
                try (FileLock swap = lockFile.acquireSwap(target)) {
                    Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                    pause("moved-aside");
                    try {
                        Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE); // put it back
                        throw e;
                    }
                }
                pause("replaced");
                try {
                    deleteTree(old);
                } catch (IOException e) {
                    // The new folder is in place; the old one is only in the way. Say where.
                    notices.accept(
                            target
                                    + ": written, but the previous version stays in "
                                    + old
                                    + " ("
                                    + reason(e)
                                    + "); remove it when you no longer need it");
                }
            } else {
                try (FileLock swap = lockFile.acquireSwap(target)) {
                    Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
                }
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

    /**
     * Returns the folder in {@code dir} (itself or one inside it) that this user cannot change, or
     * null: a replace moves {@code dir} aside and then deletes its files, which needs every folder
     * in it to be writable. Someone who made it read-only meant to protect it.
     *
     * @param dir an existing folder
     * @return the first read-only folder found, or null
     * @throws IOException if the folder cannot be listed
     */
    public static Path readOnlyPart(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !Files.isWritable(p) || !Files.isExecutable(p))
                    .findFirst()
                    .orElse(null);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (AccessDeniedException e) {
            return Path.of(e.getFile());
        }
    }

    /**
     * Fails at once, before long work, if a {@link #write} of {@code target} would fail for want of
     * permissions: the folder (or one in it) is read-only, or an interrupted write left a copy
     * beside it that cannot be removed.
     *
     * @param setting the setting that names the folder, e.g. {@code output}
     * @param target the folder to be written (its lock file and copies are beside it)
     * @throws InvalidSettingException naming the folder or the leftover and what to do
     */
    public static void checkReplaceable(String setting, Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            return;
        }
        try {
            if (Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
                Path locked = readOnlyPart(absolute);
                if (locked != null) {
                    throw new InvalidSettingException(setting, readOnlyMessage(target, locked));
                }
            }
            if (!Files.isDirectory(absolute.getParent())) {
                return;
            }
            String name = absolute.getFileName().toString();
            List<Path> left = new ArrayList<>(leftovers(absolute.getParent(), name, "old"));
            left.addAll(leftovers(absolute.getParent(), name, "partial"));
            for (Path p : left) {
                if (readOnlyPart(p) != null) {
                    throw new InvalidSettingException(
                            setting,
                            p
                                    + ": left by an interrupted write of "
                                    + target
                                    + " (it holds an earlier version) and cannot be removed (it"
                                    + " is read-only for you); move it away or make it writable");
                }
            }
        } catch (IOException e) {
            throw new InvalidSettingException(
                    setting, target + ": cannot be checked (" + reason(e) + ")");
        }
    }

    /**
     * The one-line refusal for a folder that is (partly) read-only.
     *
     * @param target the folder to be replaced, as the user named it
     * @param locked the read-only folder in it, from {@link #readOnlyPart}
     * @return the message
     */
    public static String readOnlyMessage(Path target, Path locked) {
        boolean itself =
                locked.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize());
        return target
                + ": "
                + (itself ? "is read-only" : "holds a read-only folder, " + locked.getFileName())
                + " for you, so it cannot be replaced; nothing was changed (make it writable,"
                + " e.g. chmod -R u+w "
                + target
                + ", or choose another folder)";
    }

    private static String reason(IOException e) {
        return e instanceof FileSystemException fs
                ? Reasons.of(fs)
                : String.valueOf(e.getMessage());
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
