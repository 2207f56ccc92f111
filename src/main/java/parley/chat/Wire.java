package parley.chat;

import java.util.Locale;

/** Enum constants as JSON and the error codes show them: their names in lower case. */
public final class Wire {
  private Wire() {}

  public static String word(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
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
