package parley.llm;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import parley.chat.ChatId;
import parley.chat.ReplyLog;

/**
 * The ended replies a node keeps for replay, until the retention time has passed or their chat or
 * account is deleted. A busy node keeps tens of thousands, so each is only its log (the text as
 * one string, the delta lengths packed), its chat and its directory entry: nothing of its run (no
 * consumer, no timer, no model). One alarm for them all: they end in order and are kept equally
 * long, so the oldest is always the next to go, and one sweep takes every reply that is due, at
 * most {@link #slackMs} late, so that a node ending a hundred replies a second wakes up far less.
 * Confined to one event loop: not thread-safe.
 */
final class KeptReplies {
  /** One ended reply as kept. */
  record Kept(ChatId chatId, ReplyDirectory.Entry entry, ReplyLog log, long expiresAtNs) {}

  /** Rings once, after at least {@code delayMs}. */
  interface Alarm {
    void set(long delayMs, Runnable ring);
  }

  private final long retentionNs;
  private final long slackMs;
  private final LongSupplier nanoClock;
  private final Alarm alarm;
  private final Consumer<Kept> forgotten;
  /** By reply id, oldest first: the order they expire in. */
  private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>();
  private boolean alarmSet;

  /**
   * @param forgotten told of each reply no longer kept, however it went (to release its directory
   *     entry)
   */
  KeptReplies(long retentionMs, LongSupplier nanoClock, Alarm alarm, Consumer<Kept> forgotten) {
    this.retentionNs = retentionMs * 1_000_000;
    this.slackMs = Math.min(1000, retentionMs / 20);
    this.nanoClock = nanoClock;
    this.alarm = alarm;
    this.forgotten = forgotten;
  }

  /** Keeps an ended reply for the retention time from now. */
  void keep(ChatId chatId, ReplyDirectory.Entry entry, ReplyLog log) {
    kept.put(entry.replyId(), new Kept(chatId, entry, log, nanoClock.getAsLong() + retentionNs));
    if (!alarmSet) {
      setAlarm();
    }
  }

  /** The kept reply's log, or null when it is not (or no longer) kept. */
  ReplyLog log(String replyId) {
    Kept reply = kept.get(replyId);
    return reply == null ? null : reply.log();
  }

  /** Forgets every kept reply of the user's chat at once (it is being deleted). */
  void forgetChat(ChatId chatId, String ownerId) {
    forgetAll(reply -> reply.chatId().equals(chatId) && reply.entry().ownedBy(ownerId));
  }

  /** Forgets every kept reply of the user's chats at once (the account is being deleted). */
  void forgetOwner(String ownerId) {
    forgetAll(reply -> reply.entry().ownedBy(ownerId));
  }

  int size() {
    return kept.size();
  }

  private void forgetAll(Predicate<Kept> which) {
    for (Iterator<Kept> replies = kept.values().iterator(); replies.hasNext(); ) {
      Kept reply = replies.next();
      if (which.test(reply)) {
        replies.remove();
        forgotten.accept(reply);
      }
    }
  }

  /** Forgets every reply that is due, then sets the alarm for the next. */
  private void sweep() {
    alarmSet = false;
    long now = nanoClock.getAsLong();
    for (Iterator<Kept> replies = kept.values().iterator(); replies.hasNext(); ) {
      Kept reply = replies.next();
      if (reply.expiresAtNs() - now > 0) {
        break;
      }
      replies.remove();
      forgotten.accept(reply);
    }
    if (!kept.isEmpty()) {
      setAlarm();
    }
  }

  private void setAlarm() {
    long dueInNs = kept.values().iterator().next().expiresAtNs() - nanoClock.getAsLong();
    alarmSet = true;
    alarm.set(Math.max(1, Math.floorDiv(dueInNs + 999_999, 1_000_000L) + slackMs), this::sweep);
  }
}
