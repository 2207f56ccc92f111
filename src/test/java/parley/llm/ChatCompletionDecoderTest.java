package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upstream's server-sent events are read incrementally, however the bytes are split into lines. */
class ChatCompletionDecoderTest {
  private final List<String> seen = new ArrayList<>();
  private final ChatCompletionDecoder decoder = new ChatCompletionDecoder(new CollectingListener(seen));

  private void feed(String... lines) {
    for (String line : lines) {
      decoder.line(line);
    }
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
    other.line("data: {\"choices\": \"nope\"}");
    other.line("");
    assertThat(seen).containsExactly("error:the model sent a malformed chunk");
  }

  @Test
  void errorObjectInTheStreamIsReportedWithItsMessage() {
    feed("data: {\"error\":{\"message\":\"rate limited\"}}", "");
    assertThat(seen).containsExactly("error:the model reported an error: rate limited");
  }

  private record CollectingListener(List<String> seen) implements ModelBackend.Listener {
    @Override
    public void onText(String piece) {
      seen.add("text:" + piece);
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
