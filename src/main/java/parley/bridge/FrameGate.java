package parley.bridge;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Who a bridge frame acts for: the one place where the bridge authenticates its clients. The
 * bridge asks it about every frame ({@code send}, {@code publish}, {@code register}, {@code
 * unregister} and {@code ping}), once the frame is well formed and, for one that reaches the bus,
 * its address permitted, and before the frame does anything; frames of one connection wait for one
 * another, so a slow answer delays that connection only.
 *
 * <p>Credentials travel in the frame's {@link BridgeFrame#headers() headers}, e.g.
 * {@code {"authorization": "Bearer <token>"}}; the gate also sees the frame's type and address, so
 * it may refuse a user an address (another user's chat) as well as an unknown token. Its answer:
 * <ul>
 *   <li>a user: the frame goes ahead, and a send or publish carries the user to its handlers in the
 *       {@code parley-user} header of the event-bus message (the client's own headers, credentials
 *       included, are never passed on);
 *   <li>empty: refused as {@code unauthenticated} (401);
 *   <li>failed with a {@link parley.chat.Rejection}: refused with its status and message (e.g. 403);
 *   <li>failed otherwise: refused as {@code unavailable} (503), logged without a stack trace.
 * </ul>
 * A refused frame gets an error frame and does nothing: with accounts, a frame without a valid
 * token does nothing at all, not even a {@code ping}.
 */
@FunctionalInterface
public interface FrameGate {
  Future<Optional<String>> userOf(BridgeFrame frame);

  /**
   * Whether events of an address registered for while nothing owned it may now reach the user:
   * asked before the first event of such a registration is delivered (the chat may have become
   * someone else's in between). Every address is fine by default.
   */
  default Future<Boolean> mayDeliver(String user, String address) {
    return Future.succeededFuture(true);
  }
}
