package parley.bridge;

import static io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper.sendErrFrame;
import static io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper.sendFrame;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bus.Addresses;
import parley.bus.Failures;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/**
 * One client's connection to the bridge: reads its frames ({@link FrameReader}), acts on them one
 * at a time in the order sent (a register is in place before the send that follows it acts), and
 * forwards the messages of the addresses it registered. A send, publish or register to a permitted
 * address acts only once the {@link FrameGate} has named the user it acts for. Frames are written
 * with the bridge library's own {@code FrameHelper}, so they look exactly like the library's.
 *
 * <p>Every refusal is an error frame whose {@code message} says why; the connection stays open. For
 * a {@code send} that names a {@code replyAddress} the error frame is that reply's failure
 * ({@code address}, {@code failureCode}, {@code message}); otherwise it is {@code {type: "err",
 * message}}. Only a frame over the size limit closes the connection, after its error frame.
 */
final class BridgeConnection {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeConnection.class);

  static final Pattern INBOUND = Pattern.compile(Addresses.PUBLIC_INBOUND_REGEX);
  static final Pattern OUTBOUND = Pattern.compile(Addresses.PUBLIC_OUTBOUND_REGEX);

  static final String FRAME_TOO_LONG = "frame_too_long";
  static final String ACCESS_DENIED = "access_denied";
  static final String UNAUTHENTICATED = "unauthenticated";
  static final String UNAVAILABLE = "unavailable";
  static final String UNKNOWN_ADDRESS = "unknown_address";


  private final NetSocket socket;
  private final EventBus bus;
  private final Context context;
  private final FrameGate gate;
  private final FrameReader reader;
  private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
  private boolean closed;

  private BridgeConnection(Vertx vertx, NetSocket socket, FrameGate gate) {
    this.socket = socket;
    this.bus = vertx.eventBus();
    this.context = vertx.getOrCreateContext();
    this.gate = gate;
    this.reader = new FrameReader(socket, this::onPayload, this::onTooLong);
    socket.closeHandler(v -> {
      closed = true;
      unregisterAll();
    });
    socket.exceptionHandler(failure -> {
      LOG.debug("Bridge connection from {} failed: {}", socket.remoteAddress(), failure.toString());
      socket.close();
    });
  }

  /** Serves a freshly accepted socket until it closes. */
  static void serve(Vertx vertx, NetSocket socket, FrameGate gate) {
    new BridgeConnection(vertx, socket, gate);
  }

  private void onTooLong(long announced) {
    LOG.info("Bridge client {} announced a frame of {} bytes (at most {}): closing its connection",
        socket.remoteAddress(), announced, FrameReader.MAX_FRAME_BYTES);
    sendErrFrame(FRAME_TOO_LONG, socket);
    socket.end();
  }

  /** One frame at a time: the next is not read until this one has been let through or refused. */
  private void onPayload(Buffer payload) {
    JsonObject json;
    BridgeFrame frame;
    try {
      json = BridgeFrame.decode(payload);
    } catch (Rejection malformed) {
      refuse(Optional.empty(), null, malformed);
      return;
    }
    try {
      frame = BridgeFrame.of(json);
    } catch (Rejection malformed) {
      refuse(BridgeFrame.replyAddressOf(json), json.getValue("address") instanceof String a ? a : null, malformed);
      return;
    }
    reader.pause();
    act(frame).onComplete(done -> reader.resume());
  }

  /** Completes once the frame has been refused or done (for a send: sent, not answered). */
  private Future<Void> act(BridgeFrame frame) {
    boolean reachesBus = frame.type() != BridgeFrame.Type.PING && frame.type() != BridgeFrame.Type.UNREGISTER;
    Pattern permitted = frame.type() == BridgeFrame.Type.REGISTER ? OUTBOUND : INBOUND;
    if (reachesBus && !permitted.matcher(frame.address()).matches()) {
      refuse(frame, new Rejection(ErrorCode.FORBIDDEN, ACCESS_DENIED));
      return Future.succeededFuture();
    }
    return askGate(frame).compose(user -> {
      if (closed) {
        // The client left while the gate thought: nothing is left to answer, nor to register for.
        return Future.succeededFuture();
      }
      if (user.isEmpty()) {
        refuse(frame, new Rejection(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED));
        return Future.succeededFuture();
      }
      return admitted(frame, user.get());
    }, failure -> {
      if (failure instanceof Rejection refusal) {
        refuse(frame, refusal);
      } else {
        LOG.warn("Bridge frame gate failed for {} {}: {}", frame.type(), frame.address(), failure.toString());
        refuse(frame, new Rejection(ErrorCode.UNAVAILABLE, UNAVAILABLE));
      }
      return Future.succeededFuture();
    });
  }

  /** The gate's answer, back on this connection's context whatever context the gate answered on. */
  private Future<Optional<String>> askGate(BridgeFrame frame) {
    Future<Optional<String>> answer;
    try {
      answer = gate.userOf(frame);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    Promise<Optional<String>> here = Promise.promise();
    answer.onComplete(result -> {
      if (Vertx.currentContext() == context) {
        here.handle(result);
      } else {
        context.runOnContext(v -> here.handle(result));
      }
    });
    return here.future();
  }

  private Future<Void> admitted(BridgeFrame frame, String user) {
    DeliveryOptions asUser = new DeliveryOptions().addHeader(Addresses.USER_HEADER, user);
    switch (frame.type()) {
      case PING:
        sendFrame("pong", socket);
        return Future.succeededFuture();
      case UNREGISTER:
        unregister(frame.address());
        return Future.succeededFuture();
      case SEND:
        if (frame.replyAddress() == null) {
          bus.send(frame.address(), frame.body(), asUser);
        } else {
          bus.request(frame.address(), frame.body(), asUser).onComplete(answer -> {
            if (answer.succeeded()) {
              Message<Object> reply = answer.result();
              sendFrame("message", frame.replyAddress(), null, headersOf(reply), true, reply.body(), socket);
            } else {
              sendErrFrame(frame.address(), frame.replyAddress(), asReplyFailure(answer.cause()), socket);
            }
          });
        }
        return Future.succeededFuture();
      case PUBLISH:
        bus.publish(frame.address(), frame.body(), asUser);
        return Future.succeededFuture();
      case REGISTER:
        return register(frame.address(), user);
      default:
        throw new IllegalStateException("not a frame that acts on the bus: " + frame.type());
    }
  }

  /** Completes once the registration is in place across the cluster: only then may a send that follows it act. */
  private Future<Void> register(String address, String user) {
    MessageConsumer<Object> existing = registrations.get(address);
    if (existing != null) {
      return existing.completion();
    }
    FirstDelivery first = new FirstDelivery(address, user);
    MessageConsumer<Object> consumer = bus.consumer(address, first::deliver);
    registrations.put(address, consumer);
    return consumer.completion().recover(failure -> {
      LOG.warn("Bridge registration on {} failed: {}", address, failure.toString());
      registrations.remove(address, consumer);
      refuse(Optional.empty(), address, new Rejection(ErrorCode.UNAVAILABLE, UNAVAILABLE));
      return Future.succeededFuture();
    });
  }

  /**
   * Holds a registration's events until the gate has said, once, that they may reach the user;
   * refused, the registration ends with an error frame and nothing is delivered.
   */
  private final class FirstDelivery {
    private final String address;
    private final String user;
    private List<Message<Object>> held;
    private boolean allowed;

    FirstDelivery(String address, String user) {
      this.address = address;
      this.user = user;
    }

    void deliver(Message<Object> message) {
      if (allowed) {
        forward(message);
        return;
      }
      if (held != null) {
        held.add(message);
        return;
      }
      held = new ArrayList<>(List.of(message));
      gate.mayDeliver(user, address).onComplete(answer -> context.runOnContext(v -> {
        List<Message<Object>> waiting = held;
        held = null;
        if (answer.succeeded() && answer.result()) {
          allowed = true;
          waiting.forEach(this::forward);
        } else if (registrations.containsKey(address)) {
          registrations.remove(address).unregister();
          refuse(Optional.empty(), address, new Rejection(ErrorCode.FORBIDDEN, ACCESS_DENIED));
        }
      }));
    }

    private void forward(Message<Object> message) {
      sendFrame("message", message.address(), null, headersOf(message), message.isSend(), message.body(), socket);
    }
  }

  private void unregister(String address) {
    MessageConsumer<Object> consumer = registrations.remove(address);
    if (consumer == null) {
      refuse(Optional.empty(), address, Rejection.badRequest(UNKNOWN_ADDRESS));
    } else {
      consumer.unregister();
    }
  }

  private void unregisterAll() {
    registrations.values().forEach(MessageConsumer::unregister);
    registrations.clear();
  }

  private void refuse(BridgeFrame frame, Rejection why) {
    refuse(Optional.ofNullable(frame.replyAddress()), frame.address(), why);
  }

  /** An error frame: the reply's failure when the frame asked for a reply, else a plain one. */
  private void refuse(Optional<String> replyAddress, String address, Rejection why) {
    LOG.debug("Bridge frame from {} to {} refused: {}", socket.remoteAddress(), address, why.getMessage());
    if (replyAddress.isPresent()) {
      sendErrFrame(address, replyAddress.get(), new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.status(why.code()), why.getMessage()), socket);
    } else {
      sendErrFrame(why.getMessage(), socket);
    }
  }

  private static ReplyException asReplyFailure(Throwable failure) {
    return failure instanceof ReplyException replied
        ? replied
        : new ReplyException(ReplyFailure.ERROR, Failures.status(ErrorCode.UNAVAILABLE), UNAVAILABLE);
  }

  /** A message's headers for the client: all but the user a bridged message was sent as. */
  private static JsonObject headersOf(Message<?> message) {
    JsonObject headers = new JsonObject();
    message.headers().forEach(header -> {
      if (!Addresses.USER_HEADER.equalsIgnoreCase(header.getKey())) {
        headers.put(header.getKey(), header.getValue());
      }
    });
    return headers;
  }
}
