package parley.chat;

import java.util.Locale;

/** Enum constants as JSON and the error codes show them: their names in lower case. */
public final class Wire {
  private Wire() {}

  /** An enum whose constants travel as their wire words. */
  public interface Word {
    String name();

    default String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static String word(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** The constant whose word this is; anything else is a bug in what wrote it. */
  public static <E extends Enum<E>> E required(Class<E> type, String word) {
    E constant = parse(type, word);
    if (constant == null) {
      throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + word);
    }
    return constant;
  }

  /** The constant whose word this is, or null for any other text. */
  public static <E extends Enum<E>> E parse(Class<E> type, String word) {
    if (word == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (word(constant).equals(word)) {
        return constant;
      }
    }
    return null;
  }
}
