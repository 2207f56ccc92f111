package parley.transfer;

import parley.chat.Rejection;

/** The two forms of an export: {@code ?format=md} (the default) or {@code ?format=json}. */
public enum ExportFormat {
  /** The path the chat shows, to read. */
  MD("md", "text/markdown; charset=utf-8"),
  /** The whole tree, in the form an import takes back. */
  JSON("json", "application/json");

  private final String word;
  private final String contentType;

  ExportFormat(String word, String contentType) {
    this.word = word;
    this.contentType = contentType;
  }

  /** The {@code format} parameter: absent or empty is Markdown, anything but md or json a 400. */
  public static ExportFormat parse(String format) {
    if (format == null || format.isEmpty()) {
      return MD;
    }
    for (ExportFormat known : values()) {
      if (known.word.equals(format)) {
        return known;
      }
    }
    throw Rejection.badRequest("format must be md or json");
  }

  public String extension() {
    return word;
  }

  public String contentType() {
    return contentType;
  }
}
