package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import parley.auth.Accounts;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.cluster.BoundedSets;
import parley.cluster.SlidingWindow;
import parley.config.Settings;

/**
 * Whether a user may start another reply: at most so many sends in any minute, so many replies
 * streaming at once (both counted across the cluster), and, when a daily token quota is set,
 * tokens left today. Without accounts there are no per-user limits. A refused send counts
 * nothing, and an admitted one that then fails is taken back.
 */
final class SendAdmission {
  private static final long MINUTE_MS = 60_000;
  /** A reply usually ends within this; the person may try again then. */
  private static final long ACTIVE_RETRY_SECONDS = 5;

  /** An admitted send, until its reply ends; {@link #undo} if the send itself failed. */
  interface Ticket {
    Future<Void> undo();

    Ticket NONE = Future::succeededFuture;
  }

  private final boolean limited;
  private final Accounts accounts;
  private final Clock clock;
  private final long tokensPerDay;
  private final SlidingWindow sends;
  private final BoundedSets active;

  SendAdmission(Vertx vertx, Settings.Access access, Accounts accounts, Clock clock) {
    this.limited = access.accounts();
    this.accounts = accounts;
    this.clock = clock;
    this.tokensPerDay = access.userTokensPerDay();
    this.sends = new SlidingWindow(vertx, "parley.limits.sends", access.userSendsPerMinute(), MINUTE_MS, clock::millis);
    this.active = new BoundedSets(vertx, "parley.limits.active", access.userMaxActiveReplies());
  }

  Future<Ticket> admit(String userId, String replyId, String nodeId) {
    if (!limited) {
      return Future.succeededFuture(Ticket.NONE);
    }
    return withinQuota(userId)
        .compose(v -> sends.tryRecord(userId))
        .compose(verdict -> {
          if (!verdict.admitted()) {
            return Future.failedFuture(new Rejection(ErrorCode.RATE_LIMITED,
                "you have sent too many messages in the last minute: wait a little", verdict.waitSeconds()));
          }
          return active.tryAdd(userId, replyId, nodeId).compose(added -> {
            if (!added) {
              return sends.forget(userId, verdict.recordedAt()).transform(v -> Future.failedFuture(new Rejection(
                  ErrorCode.RATE_LIMITED, "you have too many replies streaming at once: wait for one to end or stop one",
                  ACTIVE_RETRY_SECONDS)));
            }
            Ticket ticket = () -> Future.join(sends.forget(userId, verdict.recordedAt()), active.remove(userId, replyId)).mapEmpty();
            return Future.succeededFuture(ticket);
          });
        });
  }

  /** The reply ended: it no longer counts as streaming. */
  Future<Void> ended(String userId, String replyId) {
    return limited ? active.remove(userId, replyId) : Future.succeededFuture();
  }

  /** The node left the cluster: its replies no longer stream. */
  Future<Void> nodeLeft(String nodeId) {
    return limited ? active.removeNode(nodeId) : Future.succeededFuture();
  }

  private Future<Void> withinQuota(String userId) {
    if (tokensPerDay <= 0) {
      return Future.succeededFuture();
    }
    return accounts.usage(userId).compose(usage -> {
      if (usage.today().tokens() < tokensPerDay) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new Rejection(ErrorCode.QUOTA_EXCEEDED,
          "you have used your " + tokensPerDay + " tokens for today: the quota renews at midnight UTC", secondsToMidnightUtc()));
    });
  }

  private long secondsToMidnightUtc() {
    Instant now = clock.instant();
    Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return Math.max(1, Duration.between(now, midnight).toSeconds());
  }
}
