package parley.chat;

/**
 * What a reply needs to know of its chat before it starts: whose chat it is, and the settings
 * the model is called with (each null while unset). A chat that does not exist yet has none.
 */
public record ChatSettings(String ownerId, String model, String systemPrompt, Double temperature) {
  public static final ChatSettings NONE = new ChatSettings(null, null, null, null);
}
