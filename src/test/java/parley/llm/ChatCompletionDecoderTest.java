package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upstream's server-sent events are read incrementally, however the bytes are split into lines. */
class ChatCompletionDecoderTest {
  private final List<String> seen = new ArrayList<>();
  private final ChatCompletionDecoder decoder = new ChatCompletionDecoder(new CollectingListener(seen));

  private void feed(String... lines) {
    for (String text : lines) {
      decoder.feed(line(text));
    }
  }

  /** One line of the stream, as the bytes of its own chunk. */
  private static Buffer line(String text) {
    return Buffer.buffer(text + "\n");
  }

  @Test
  void readsContentDeltasUntilDone() {
    feed(": keep-alive", "",
        "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}", "",
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\r", "\r",
        "data: {\"choices\":[{\"delta\":{\"content\":\"lo\\n\"}}]}", "",
        "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}", "",
        "data: [DONE]", "");
    decoder.end();
    assertThat(seen).containsExactly("text:Hel", "text:lo\n", "complete");
  }

  @Test
  void finishReasonThenCloseWithoutDoneIsComplete() {
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}", "");
    decoder.end();
    assertThat(seen).containsExactly("text:x", "complete");
  }

  @Test
  void closeBeforeAnyFinishIsAnError() {
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}", "");
    decoder.end();
    assertThat(seen).containsExactly("text:x", "error:the model's stream ended before the reply was finished");
  }

  @Test
  void malformedChunkOrWrongShapeIsAnErrorAndNothingFollows() {
    feed("data: {not json", "", "data: {\"choices\":[{\"delta\":{\"content\":\"late\"}}]}", "");
    decoder.end();
    assertThat(seen).containsExactly("error:the model sent a malformed chunk");

    seen.clear();
    ChatCompletionDecoder other = new ChatCompletionDecoder(new CollectingListener(seen));
    other.feed(line("data: {\"choices\": \"nope\"}"));
    other.feed(line(""));
    assertThat(seen).containsExactly("error:the model sent a malformed chunk");
  }

  @Test
  void errorObjectInTheStreamIsReportedWithItsMessage() {
    feed("data: {\"error\":{\"message\":\"rate limited\"}}", "");
    assertThat(seen).containsExactly("error:the model reported an error: rate limited");
  }

  @Test
  void skipsWhatItDoesNotUseHoweverDeeplyItNests() {
    feed("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"system_fingerprint\":null,"
        + "\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[{\"token\":\"decoy\",\"top_logprobs\":[{\"token\":\"x\","
        + "\"bytes\":[1,2,[3,{\"content\":\"deeper decoy\"}]]}]}]},"
        + "\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"arguments\":\"{}\"}}],\"refusal\":null,"
        + "\"extra\":{\"content\":\"decoy\"},\"content\":\"kept\"},\"finish_reason\":null},"
        + "{\"index\":1,\"delta\":{\"content\":\"second choice\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":null,\"x\":[[],{},[{}],true,false,1.5e3,-2]}", "");
    decoder.end();
    assertThat(seen).containsExactly("text:kept", "error:the model's stream ended before the reply was finished");
  }

  @Test
  void readsContentWithEscapesAndAnyUnicode() {
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"\\\"q\\\" \\\\ \\/ \\t\\r\\n \\u00e9\\u4e2d \\ud83d\\ude00\"}}]}", "",
        "data: {\"choices\":[{\"delta\":{\"content\":\"raw é中 😀\"}}]}", "",
        "data: {\"choices\":[{\"delta\":{\"content\":\"" + "long ".repeat(5000) + "\"}}]}", "");
    assertThat(seen).containsExactly("text:\"q\" \\ / \t\r\n é中 😀", "text:raw é中 😀", "text:" + "long ".repeat(5000));
  }

  @Test
  void nullOrEmptyContentAndEmptyChoicesSayNothing() {
    feed("data: {\"choices\":[{\"delta\":{\"content\":null}}]}", "",
        "data: {\"choices\":[{\"delta\":{\"content\":\"\"}}]}", "",
        "data: {\"choices\":[{\"delta\":null}]}", "",
        "data: {\"choices\":[]}", "",
        "data: {\"choices\":null}", "",
        "data: {}", "",
        "data: {\"choices\":[{\"delta\":{\"content\":null},\"finish_reason\":\"stop\"}]}", "");
    decoder.end();
    assertThat(seen).containsExactly("complete");
  }

  @Test
  void usageOnlyChunkIsReported() {
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}", "",
        "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,"
            + "\"total_tokens\":46,\"prompt_tokens_details\":{\"cached_tokens\":0}}}", "",
        "data: [DONE]", "");
    assertThat(seen).containsExactly("text:x", "usage:12/34", "complete");
  }

  @Test
  void fieldsMayComeInAnyOrder() {
    feed("data: {\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":1},\"choices\":[{\"finish_reason\":\"stop\","
        + "\"delta\":{\"content\":\"end\",\"role\":\"assistant\"},\"index\":0}],\"id\":\"c1\"}", "");
    decoder.end();
    assertThat(seen).containsExactly("usage:1/2", "text:end", "complete");
  }

  @Test
  void oneChunkMaySpanSeveralDataLines() {
    feed("data: {\"choices\":", "data: [{\"delta\":", "data: {\"content\":\"joined\"}}]}", "");
    assertThat(seen).containsExactly("text:joined");
  }

  @Test
  void bytesCutAnywhereReadAsTheWholeStreamDoes() {
    String stream = ": hi\r\n\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"é中 😀\"}}]}\r\n\r\n"
        + "data: {\"choices\":\ndata: [{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: [DONE]\n\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      decoder.feed(Buffer.buffer(new byte[] {b}));
    }
    decoder.end();
    assertThat(seen).containsExactly("text:é中 😀", "text:x", "complete");
  }

  @Test
  void aLastEventWithoutItsBlankLineStillCounts() {
    decoder.feed(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}"));
    decoder.end();
    assertThat(seen).containsExactly("text:x", "complete");
  }

  @Test
  void bytesThatAreNotUtf8ReadAsReplacementCharacters() {
    Buffer stream = Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"a")
        .appendBytes(new byte[] {(byte) 0xE4, (byte) 0xB8})
        .appendString("\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}\n\n")
        .appendString("data: {\"choices\":\"nope\"}\n\n");
    decoder.feed(stream);
    decoder.end();
    assertThat(seen).containsExactly("text:a\uFFFD", "text:b", "error:the model sent a malformed chunk");
  }

  @Test
  void aLineThatNeverEndsIsStoppedAtTheLimit() {
    decoder.feed(line("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}"));
    decoder.feed(line(""));
    decoder.feed(Buffer.buffer("data: " + "y".repeat(ChatCompletionDecoder.MAX_EVENT_BYTES)));
    decoder.feed(line(""));
    decoder.end();
    assertThat(seen).containsExactly("text:x", "error:the model sent a line or an event of more than 4 MiB");
  }

  @Test
  void everyChunkOfALongStreamIsRead() {
    for (int i = 0; i < 2000; i++) {
      feed("data: {\"choices\":[{\"delta\":{\"content\":\"" + i + " \"},\"finish_reason\":null}]}", "");
    }
    feed("data: [DONE]", "");
    assertThat(seen).hasSize(2001).startsWith("text:0 ", "text:1 ").endsWith("text:1999 ", "complete");
  }

  @Test
  void aChunkMustBeOneWholeObject() {
    for (String payload : List.of("", "42", "\"text\"", "[]", "null", "{\"choices\":[]} {}", "{\"choices\":[]} 4",
        "{\"choices\":[]} tru", "{\"choices\":[{\"delta\":{\"content\":\"open\"}}]", "{\"choices\":[{\"delta\":{\"content\":\"x",
        "{\"choices\":[7]}", "{\"choices\":[null]}", "{\"choices\":[{\"delta\":\"x\"}]}", "{\"choices\":[{\"delta\":{\"content\":5}}]}",
        "{\"usage\":[1]}", "{\"usage\":{\"prompt_tokens\":\"many\"}}")) {
      seen.clear();
      ChatCompletionDecoder fresh = new ChatCompletionDecoder(new CollectingListener(seen));
      fresh.feed(line("data: {\"choices\":[{\"delta\":{\"content\":\"before\"}}]}"));
      fresh.feed(line(""));
      fresh.feed(line("data: " + payload));
      fresh.feed(line(""));
      fresh.feed(line("data: {\"choices\":[{\"delta\":{\"content\":\"after\"}}]}"));
      fresh.feed(line(""));
      fresh.end();
      assertThat(seen).as(payload).containsExactly("text:before", "error:the model sent a malformed chunk");
    }
  }

  @Test
  void anErrorComesFirstWhateverElseTheChunkHolds() {
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"not shown\"}}],\"error\":\"overloaded\"}", "");
    assertThat(seen).containsExactly("error:the model reported an error: overloaded");

    seen.clear();
    ChatCompletionDecoder shapeless = new ChatCompletionDecoder(new CollectingListener(seen));
    shapeless.feed(line("data: {\"choices\":\"nope\",\"error\":{\"message\":\"quota\"}}"));
    shapeless.feed(line(""));
    assertThat(seen).containsExactly("error:the model reported an error: quota");

    seen.clear();
    ChatCompletionDecoder named = new ChatCompletionDecoder(new CollectingListener(seen));
    named.feed(line("event: error"));
    named.feed(line("data: {\"detail\":\"busy\"}"));
    named.feed(line(""));
    assertThat(seen).containsExactly("error:the model reported an error: {\"detail\":\"busy\"}");

    seen.clear();
    ChatCompletionDecoder nullError = new ChatCompletionDecoder(new CollectingListener(seen));
    nullError.feed(line("data: {\"error\":null,\"choices\":[{\"delta\":{\"content\":\"fine\"}}]}"));
    nullError.feed(line(""));
    assertThat(seen).containsExactly("text:fine");
  }

  private record CollectingListener(List<String> seen) implements ModelBackend.Listener {
    @Override
    public void onText(String piece) {
      seen.add("text:" + piece);
    }

    @Override
    public void onUsage(long promptTokens, long completionTokens) {
      seen.add("usage:" + promptTokens + "/" + completionTokens);
    }

    @Override
    public void onComplete() {
      seen.add("complete");
    }

    @Override
    public void onError(String reason) {
      seen.add("error:" + reason);
    }
  }
}
