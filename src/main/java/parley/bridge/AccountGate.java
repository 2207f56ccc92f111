package parley.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import parley.auth.Authenticator;
import parley.auth.OidcProvider;
import parley.auth.Caller;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Settings;
import parley.llm.ReplyClient;
import parley.store.AccountsClient;

/**
 * Parley's accounts at the bridge: a frame acts for the user whose API token it carries in
 * {@code headers.authorization} ({@code Bearer parley_…}), or for the local user when Parley has
 * no accounts. On a chat's own addresses it may only touch that user's chats: registering for the
 * events of someone else's chat, or terminating it, is refused. A chat that does not exist yet may
 * be registered for, so that a client can listen before its first send; its events reach the client
 * only once the chat is theirs ({@link #mayDeliver}), else the registration ends with
 * {@code access_denied}. Sends and queries carry the user, and the verticles that
 * answer them apply the same ownership rules as over HTTP.
 */
final class AccountGate implements FrameGate {

  private final Settings.Access access;
  private final Authenticator authenticator;
  private final ReplyClient replies;

  AccountGate(Vertx vertx, Settings.Access access) {
    this.access = access;
    this.authenticator = new Authenticator(vertx, new AccountsClient(vertx.eventBus()), Clock.systemUTC(),
        OidcProvider.of(vertx, access, Clock.systemUTC()));
    this.replies = new ReplyClient(vertx);
  }

  Future<Void> start() {
    return authenticator.start();
  }

  Future<Void> stop() {
    return authenticator.stop();
  }

  @Override
  public Future<Optional<String>> userOf(BridgeFrame frame) {
    return caller(frame.headers()).compose(caller -> {
      if (caller == null) {
        return Future.succeededFuture(Optional.empty());
      }
      // A ping touches nothing, and an unregister only ends the connection's own registration.
      if (frame.type() == BridgeFrame.Type.PING || frame.type() == BridgeFrame.Type.UNREGISTER) {
        return Future.succeededFuture(Optional.of(caller.userId()));
      }
      ChatId chatId = Addresses.chatOf(frame.address());
      if (chatId == null) {
        return Future.succeededFuture(Optional.of(caller.userId()));
      }
      return replies.ownerOf(chatId).compose(owner -> {
        boolean listeningAhead = owner == null && frame.type() == BridgeFrame.Type.REGISTER;
        if (listeningAhead || caller.userId().equals(owner)) {
          return Future.succeededFuture(Optional.of(caller.userId()));
        }
        return Future.failedFuture(new Rejection(ErrorCode.FORBIDDEN, "access_denied"));
      });
    });
  }

  /** The chat of an events address must be the user's by the time its first event comes. */
  @Override
  public Future<Boolean> mayDeliver(String user, String address) {
    ChatId chatId = Addresses.chatOf(address);
    return chatId == null ? Future.succeededFuture(true) : replies.ownerOf(chatId).map(user::equals);
  }

  private Future<Caller> caller(JsonObject headers) {
    if (!access.accounts()) {
      return authenticator.localCaller();
    }
    Object authorization = headers == null ? null : headers.getValue("authorization");
    String token = authorization instanceof String value ? Authenticator.bearerToken(value) : null;
    return token == null ? Future.succeededFuture(null) : authenticator.callerOf(token, Caller.Via.BEARER);
  }
}
