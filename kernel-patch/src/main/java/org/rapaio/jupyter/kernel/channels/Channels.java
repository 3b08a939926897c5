package org.rapaio.jupyter.kernel.channels;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.IOPubStream;
import org.rapaio.org.zeromq.ZMQ;

/**
 * nnkurs start-up fix for rapaio-jupyter-kernel 3.0.1, replacing the kernel's class of the same
 * name: the kernel's five sockets, the table of message handlers, and the reply helpers the kernel
 * calls.
 *
 * <p>In 3.0.1, {@code connect} bound the sockets (which starts the shell and control threads)
 * before it created the handler table. A request that arrived in that gap (a client connects at
 * once and sends kernel_info_request) made {@code getHandler} throw a NullPointerException in the
 * shell thread, which ended it: the kernel never answered. Here the kernel and every handler are in
 * place before the first socket is bound, so a request waits in the client's queue until it can be
 * answered. Same public API as 3.0.1's class (kernel-patch's ReplacedApiTest checks that).
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class Channels {

    private final ConnectionProperties connProps;
    private final ZMQ.Context ctx;

    private final IOPubChannel iopub;
    private final StdinChannel stdin;
    private final HeartbeatChannel heartbeat;
    private final ControlChannel control;
    private final ShellChannel shell;
    /** The order they are bound in: iopub first, it has no thread and the handlers publish on it. */
    private final List<AbstractChannel> all;

    /** Read by the shell and control threads; replaced whole, never changed in place. */
    private volatile Map<MessageType<?>, MessageHandler> handlers = Collections.emptyMap();
    /** Actions to run after the current request; last in, first out. */
    private final Deque<Runnable> afterActions = new ConcurrentLinkedDeque<>();
    private volatile MessageId<?> msgId;
    private volatile boolean shutdownRequested;
    private boolean connected;

    public Channels(ConnectionProperties connProps) throws NoSuchAlgorithmException, InvalidKeyException {
        this.connProps = connProps;
        this.ctx = ZMQ.context(1);
        HMACDigest digest = connProps.createHMACDigest();
        this.iopub = new IOPubChannel(this, ctx, digest);
        this.stdin = new StdinChannel(this, ctx, digest);
        this.heartbeat = new HeartbeatChannel(this, ctx, digest);
        this.control = new ControlChannel(this, ctx, digest);
        this.shell = new ShellChannel(this, ctx, digest, this);
        this.all = List.of(iopub, stdin, heartbeat, control, shell);
    }

    public synchronized void connect(RapaioKernel kernel) {
        if (connected) {
            return;
        }
        // Everything a request needs exists before any socket can deliver one.
        kernel.registerChannels(this);
        handlers = handlerTable(kernel);
        iopub.bind(connProps);
        iopub.sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));
        for (AbstractChannel channel : all) {
            if (channel != iopub) {
                channel.bind(connProps);
            }
        }
        connected = true;
    }

    private static Map<MessageType<?>, MessageHandler> handlerTable(RapaioKernel kernel) {
        Map<MessageType<?>, MessageHandler> table = new HashMap<>();
        table.put(MessageType.SHELL_KERNEL_INFO_REQUEST, m -> kernel.handleKernelInfoRequest(m));
        table.put(MessageType.SHELL_EXECUTE_REQUEST, m -> kernel.handleExecuteRequest(m));
        table.put(MessageType.SHELL_INSPECT_REQUEST, m -> kernel.handleInspectRequest(m));
        table.put(MessageType.SHELL_COMPLETE_REQUEST, m -> kernel.handleCompleteRequest(m));
        table.put(MessageType.SHELL_HISTORY_REQUEST, m -> kernel.handleHistoryRequest(m));
        table.put(MessageType.SHELL_IS_COMPLETE_REQUEST, m -> kernel.handleIsCompleteRequest(m));
        table.put(MessageType.SHELL_COMM_INFO_REQUEST, m -> kernel.handleCommInfoRequest(m));
        table.put(MessageType.CONTROL_SHUTDOWN_REQUEST, m -> kernel.handleShutdownRequest(m));
        table.put(MessageType.CONTROL_INTERRUPT_REQUEST, m -> kernel.handleInterruptRequest(m));
        table.put(MessageType.CUSTOM_COMM_OPEN, m -> kernel.handleCommOpenCommand(m));
        table.put(MessageType.CUSTOM_COMM_MSG, m -> kernel.handleCommMsgCommand(m));
        table.put(MessageType.CUSTOM_COMM_CLOSE, m -> kernel.handleCommCloseCommand(m));
        return Collections.unmodifiableMap(table);
    }

    /** The handler for a message type, or null for a type the kernel does not handle. */
    public <T> MessageHandler<T> getHandler(MessageType<T> type) {
        return handlers.get(type);
    }

    public void close() {
        for (AbstractChannel channel : all) {
            channel.close();
        }
        ctx.close();
    }

    /** Returns when the channels with a thread of their own have stopped. */
    public void joinUntilClose() {
        for (AbstractChannel channel : all) {
            channel.joinUntilClose();
        }
    }

    public boolean hasMsgId() {
        return msgId != null;
    }

    public void setMsgId(MessageId<?> msgId) {
        this.msgId = msgId;
    }

    public void freeMsgId() {
        msgId = null;
    }

    public void markForShutdown() {
        shutdownRequested = true;
    }

    public boolean isMarkedForShutdown() {
        return shutdownRequested;
    }

    public void writeToStdOut(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.OUT, msg));
    }

    public void writeToStdErr(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.ERR, msg));
    }

    public String readFromStdIn() {
        return stdin.getInput(msgId, "", false);
    }

    public <T extends ContentType<T>> void publish(T content) {
        iopub.sendMessage(new Message<>(msgId, content.type(), content));
    }

    public <T extends ContentType<T>> void reply(T content) {
        shell.sendMessage(new Message<>(msgId, content.type(), content));
    }

    public void replyError(MessageType<?> type, ErrorReply error) {
        shell.sendMessage(new Message(msgId, type, error));
    }

    public void scheduleAfter(Runnable action) {
        afterActions.push(action);
    }

    public void runAfterActions() {
        for (Runnable action = afterActions.poll(); action != null; action = afterActions.poll()) {
            action.run();
        }
    }

    public void busyThenIdle() {
        publish(IOPubStatus.BUSY);
        scheduleAfter(() -> publish(IOPubStatus.IDLE));
    }
}
