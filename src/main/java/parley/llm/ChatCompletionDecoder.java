package parley.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the events of an OpenAI-compatible {@code /chat/completions} stream, as the bytes arrive,
 * and tells the listener about text, the end and errors.
 *
 * <p>A reply is dozens to thousands of chunks, each a JSON object of which Parley uses four values
 * ({@code choices[0].delta.content}, {@code choices[0].finish_reason}, {@code usage}, {@code
 * error}). So a chunk is not built into a {@link JsonObject}: one non-blocking Jackson parser per
 * stream reads every chunk, each fed to it as a document of its own in the bytes it came in (no
 * string is made of it, see {@link SseReader}), keeps those values and skips the rest, and a chunk
 * costs little more than its text. Only a chunk that reports an error, which ends the stream, is
 * built whole, to explain it. A chunk whose bytes are not UTF-8 is read again as text would have
 * it, each bad byte a U+FFFD (as a string of it would be), rather than ending the reply.
 */
final class ChatCompletionDecoder {
  /** Comments allowed as Vert.x's own JSON parsing allows them, so no chunk reads differently. */
  private static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
  /**
   * Fed after each chunk: a token the chunk left open (a bare {@code 12} or {@code tru}) is
   * complete or wrong at once, rather than continued by the next chunk.
   */
  private static final byte[] CHUNK_END = {'\n'};
  private static final String MALFORMED = "the model sent a malformed chunk";
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final ModelBackend.Listener listener;
  /**
   * The longest line or event a model may send: far above any chunk of a reply, and what is held
   * of a stream that never ends its line.
   */
  static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

  private final SseReader events = new SseReader(this::event, MAX_EVENT_BYTES);
  private JsonParser parser;
  private ByteArrayFeeder feeder;
  private boolean finishSeen;
  private boolean done;

  /** What one chunk said, kept until the whole chunk is known to be well formed. */
  private boolean chunkEndFed;
  private boolean errorReported;
  private boolean usageReported;
  private long promptTokens;
  private long completionTokens;
  private String content;
  private boolean finishReason;

  ChatCompletionDecoder(ModelBackend.Listener listener) {
    this.listener = listener;
    newParser();
  }

  private void newParser() {
    try {
      this.parser = JSON.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson could not make a non-blocking parser", e);
    }
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  /** The next bytes of the stream, however they are cut. */
  void feed(Buffer chunk) {
    if (done) {
      return;
    }
    boolean withinLimit = events.feed(chunk);
    // An event of this chunk may have ended the stream already; then the limit no longer matters.
    if (!withinLimit && !done) {
      finish("the model sent a line or an event of more than " + MAX_EVENT_BYTES / (1024 * 1024) + " MiB");
    }
  }

  /** The upstream closed the stream: a complete reply has said so before. */
  void end() {
    if (done) {
      return;
    }
    events.end();
    if (done) {
      return;
    }
    if (finishSeen) {
      finish(null);
    } else {
      finish("the model's stream ended before the reply was finished");
    }
  }

  private void event(SseReader.Event event) {
    if (done || !event.hasData()) {
      return;
    }
    if (Arrays.equals(event.dataBytes(), 0, event.dataLength(), DONE, 0, DONE.length)) {
      finish(null);
      return;
    }
    if ("error".equals(event.name())) {
      finishOn(event.data(), true);
      return;
    }
    boolean wellFormed = read(event.dataBytes(), event.dataLength());
    if (!wellFormed && !errorReported) {
      // Bytes that are not UTF-8 (an upstream that cuts a character between two tokens) are read
      // as text would have them, each bad one a U+FFFD, rather than ending the reply.
      byte[] repaired = event.data().getBytes(StandardCharsets.UTF_8);
      if (!Arrays.equals(repaired, 0, repaired.length, event.dataBytes(), 0, event.dataLength())) {
        closeParser();
        newParser();
        wellFormed = read(repaired, repaired.length);
      }
    }
    if (!wellFormed || errorReported) {
      finishOn(event.data(), errorReported);
      return;
    }
    if (usageReported) {
      listener.onUsage(promptTokens, completionTokens);
    }
    if (content != null && !content.isEmpty()) {
      listener.onText(content);
    }
    if (finishReason) {
      finishSeen = true;
    }
  }

  /**
   * Ends the stream on a chunk that reports an error or does not read as expected, built whole
   * (it is the last): an error it carries comes first, whatever else is wrong with it, then the
   * chunk is malformed.
   */
  private void finishOn(String payload, boolean reportsError) {
    JsonObject chunk;
    try {
      chunk = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      finish(MALFORMED);
      return;
    }
    if (reportsError || chunk.getValue("error") != null) {
      finish("the model reported an error: " + errorText(chunk));
    } else {
      finish(MALFORMED);
    }
  }

  private void finish(String error) {
    done = true;
    closeParser();
    if (error == null) {
      listener.onComplete();
    } else {
      listener.onError(error);
    }
  }

  private void closeParser() {
    try {
      parser.close();
    } catch (IOException e) {
      // Nothing is read from it any more: closing only returns its buffers.
    }
  }

  /** Reads one chunk; false if it is not a well-formed JSON object of the expected shape. */
  private boolean read(byte[] chunk, int length) {
    errorReported = false;
    usageReported = false;
    promptTokens = 0;
    completionTokens = 0;
    content = null;
    finishReason = false;
    chunkEndFed = false;
    try {
      feeder.feedInput(chunk, 0, length);
      if (next() != JsonToken.START_OBJECT) {
        return false;
      }
      for (JsonToken token = required(); token != JsonToken.END_OBJECT; token = required()) {
        String name = parser.currentName();
        JsonToken value = required();
        switch (name) {
          case "choices" -> readChoices(value);
          case "usage" -> readUsage(value);
          case "error" -> {
            errorReported = value != JsonToken.VALUE_NULL;
            skip(value);
          }
          default -> skip(value);
        }
      }
      // One object per chunk, as a JsonObject would have it: nothing may follow it.
      return next() == null;
    } catch (Malformed | IOException e) {
      return false;
    }
  }

  private void readChoices(JsonToken value) throws IOException, Malformed {
    content = null;
    finishReason = false;
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_ARRAY) {
      throw Malformed.CHUNK;
    }
    JsonToken first = required();
    if (first == JsonToken.END_ARRAY) {
      return;
    }
    readChoice(first);
    for (JsonToken other = required(); other != JsonToken.END_ARRAY; other = required()) {
      skip(other);
    }
  }

  private void readChoice(JsonToken value) throws IOException, Malformed {
    if (value != JsonToken.START_OBJECT) {
      throw Malformed.CHUNK;
    }
    for (JsonToken token = required(); token != JsonToken.END_OBJECT; token = required()) {
      String name = parser.currentName();
      JsonToken field = required();
      switch (name) {
        case "delta" -> readDelta(field);
        case "finish_reason" -> {
          finishReason = field != JsonToken.VALUE_NULL;
          skip(field);
        }
        default -> skip(field);
      }
    }
  }

  private void readDelta(JsonToken value) throws IOException, Malformed {
    content = null;
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      throw Malformed.CHUNK;
    }
    for (JsonToken token = required(); token != JsonToken.END_OBJECT; token = required()) {
      String name = parser.currentName();
      JsonToken field = required();
      if (name.equals("content")) {
        if (field == JsonToken.VALUE_STRING) {
          content = parser.getText();
        } else if (field == JsonToken.VALUE_NULL) {
          content = null;
        } else {
          throw Malformed.CHUNK;
        }
      } else {
        skip(field);
      }
    }
  }

  private void readUsage(JsonToken value) throws IOException, Malformed {
    usageReported = false;
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      throw Malformed.CHUNK;
    }
    usageReported = true;
    promptTokens = 0;
    completionTokens = 0;
    for (JsonToken token = required(); token != JsonToken.END_OBJECT; token = required()) {
      String name = parser.currentName();
      JsonToken field = required();
      switch (name) {
        case "prompt_tokens" -> promptTokens = count(field);
        case "completion_tokens" -> completionTokens = count(field);
        default -> skip(field);
      }
    }
  }

  /** A token count: a number, or null for none. */
  private long count(JsonToken value) throws IOException, Malformed {
    return switch (value) {
      case VALUE_NULL -> 0;
      case VALUE_NUMBER_INT -> parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> (long) parser.getDoubleValue();
      default -> throw Malformed.CHUNK;
    };
  }

  /** Past a value of no interest, however deeply it nests. */
  private void skip(JsonToken value) throws IOException, Malformed {
    if (!value.isStructStart()) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken token = required();
      if (token.isStructStart()) {
        depth++;
      } else if (token.isStructEnd()) {
        depth--;
      }
    }
  }

  /** The next token of this chunk; the chunk may not end before it. */
  private JsonToken required() throws IOException, Malformed {
    JsonToken token = next();
    if (token == null) {
      throw Malformed.CHUNK;
    }
    return token;
  }

  /** The next token of this chunk, or null where the chunk ends. */
  private JsonToken next() throws IOException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.NOT_AVAILABLE && !chunkEndFed) {
      chunkEndFed = true;
      feeder.feedInput(CHUNK_END, 0, CHUNK_END.length);
      token = parser.nextToken();
    }
    return token == JsonToken.NOT_AVAILABLE ? null : token;
  }

  /** A chunk that is not what an OpenAI-compatible stream sends; thrown once per stream at most. */
  private static final class Malformed extends Exception {
    static final Malformed CHUNK = new Malformed();

    private Malformed() {
      super("malformed chunk", null, false, false);
    }
  }

  static String errorText(JsonObject body) {
    Object error = body.getValue("error");
    if (error instanceof JsonObject object && object.getString("message") != null) {
      return object.getString("message");
    }
    if (error instanceof String text) {
      return text;
    }
    return body.encode();
  }
}
