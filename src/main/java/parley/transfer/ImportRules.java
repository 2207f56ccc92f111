package parley.transfer;

import java.time.Instant;
import java.util.List;
import parley.chat.ChatPatch;
import parley.chat.ChatSummary;
import parley.chat.ModelIds;
import parley.chat.Rejection;

/** What every import format is held to, and the words its refusals use. */
final class ImportRules {
  /**
   * Most characters in one message's text: at three bytes a character at most in UTF-8, a message
   * stays well inside a store document's 16 MB.
   */
  static final int MAX_TEXT_CHARS = 4_000_000;
  /** How a refusal names a chat of the file: its number and the start of its title. */
  private static final int LABEL_TITLE_CHARS = 40;

  private ImportRules() {}

  static Rejection bad(String message) {
    return Rejection.badRequest(message);
  }

  static Rejection tooMany(long messages, int max) {
    return bad("the file holds " + messages + " messages; an import takes at most " + max
        + " (PARLEY_MAX_IMPORT_MESSAGES): split it, or raise the limit");
  }

  /** Most characters of a file's own id or value a refusal repeats. */
  private static final int QUOTED_CHARS = 40;
  /** Most members of a cycle a refusal names. */
  private static final int CYCLE_MEMBERS = 5;

  /** A file's own id or value as a refusal repeats it: quoted, and cut short. */
  static String quote(Object value) {
    String text = String.valueOf(value);
    return "'" + (text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "…") + "'";
  }

  /** The first few members of a cycle, each the parent of the one before. */
  static String cycle(List<String> members) {
    List<String> named = members.stream().limit(CYCLE_MEMBERS).map(ImportRules::quote).toList();
    return String.join(" → ", named) + (members.size() > CYCLE_MEMBERS ? " → …" : "");
  }

  /** {@code chat 2 ("Trip to Lyon")}, for refusals. */
  static String label(String noun, int index, Object title) {
    String name = title instanceof String text && !text.isBlank() ? ChatSummary.titleFrom(text) : null;
    if (name != null && name.length() > LABEL_TITLE_CHARS) {
      name = name.substring(0, LABEL_TITLE_CHARS) + "…";
    }
    return noun + " " + (index + 1) + (name == null ? "" : " (\"" + name + "\")");
  }

  /** A title as a chat keeps it: one line, at most as long as a rename may make it; null when blank. */
  static String title(String raw) {
    if (raw == null) {
      return null;
    }
    String oneLine = raw.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty()) {
      return null;
    }
    return oneLine.length() <= ChatPatch.MAX_TITLE_CHARS ? oneLine : oneLine.substring(0, ChatPatch.MAX_TITLE_CHARS - 1) + "…";
  }

  /** The chat's title when the file gives none: its first message's start, as for a chat begun here. */
  static String titleFromFirst(List<ImportedMessage> messages) {
    for (ImportedMessage message : messages) {
      if (!message.text().isBlank()) {
        return ChatSummary.titleFrom(message.text());
      }
    }
    return "Imported chat";
  }

  /** A text no store document would hold is refused by name. */
  static String text(String text, String where) {
    if (text.length() > MAX_TEXT_CHARS) {
      throw bad(where + ": its text has " + text.length() + " characters; a message may have at most " + MAX_TEXT_CHARS);
    }
    return text;
  }

  /**
   * A time from the file, when it is one a chat can have: not before 1970 and not after now (a
   * later one becomes now, so that no chat stays first in the list for ever); null otherwise.
   */
  static Instant time(Instant candidate, Instant now) {
    if (candidate == null || candidate.isBefore(Instant.EPOCH)) {
      return null;
    }
    return candidate.isAfter(now) ? now : candidate;
  }

  /** A model id as replies carry them, {@code provider/name}; what is not one is refused. */
  static String model(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String id) || id.isBlank() || id.length() > ModelIds.MAX_CHARS || id.indexOf('/') <= 0) {
      throw bad(where + ": model must be a model id like provider/name");
    }
    return id;
  }
}
