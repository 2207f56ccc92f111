package parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.transfer.ChatGptFormatTest.NOW;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatSummary;
import parley.chat.MessageStatus;
import parley.chat.Sender;

/** Any tree Parley can hold, exported and imported again, keeps its shape, texts, senders and models. */
class ExportImportRoundTripTest {
  /** A message of a random tree: its parent by position (-1: a root), who wrote it, what, and by which model. */
  record Node(int parent, Sender sender, String text, String model) {}

  @Provide
  Arbitrary<List<Node>> trees() {
    Arbitrary<String> texts = Arbitraries.strings().ofMinLength(1).ofMaxLength(40).filter(text -> !text.isBlank());
    Arbitrary<String> models = Arbitraries.of("demo/demo", "openai/gpt-4o-mini", "ollama/llama3.2").injectNull(0.3);
    return Arbitraries.integers().between(1, 60).flatMap(size -> {
      List<Arbitrary<Node>> nodes = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        Arbitrary<Integer> parent = i == 0 ? Arbitraries.just(-1) : Arbitraries.integers().between(-1, i - 1);
        nodes.add(Combinators.combine(parent, Arbitraries.of(Sender.class), texts, models)
            .as((p, sender, text, model) -> new Node(p, sender, text, sender == Sender.BOT ? model : null)));
      }
      return Combinators.combine(nodes).as(ArrayList::new);
    });
  }

  @Property(tries = 200)
  void anyTreeSurvivesTheRoundTrip(@ForAll("trees") List<Node> tree) {
    ChatId chatId = new ChatId("random");
    Instant start = Instant.parse("2026-06-01T00:00:00Z");
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      Node node = tree.get(i);
      messages.add(new ChatMessage("id" + i, chatId, node.sender(), node.text(), MessageStatus.COMPLETE, start.plusSeconds(i),
          null, node.parent() < 0 ? null : "id" + node.parent(), node.model(), null));
    }
    ChatSummary summary = new ChatSummary(chatId, "Random", start, tree.size(), null, null, null, false, false);
    ChatExport exported = new ChatExport(summary, messages);

    ImportedChat imported = ImportReader.read(ParleyFormat.write(List.of(exported), NOW).toBuffer(), 100_000, new CountingIds(), NOW)
        .get(0);

    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < imported.messages().size(); i++) {
      position.put(imported.messages().get(i).id(), i);
    }
    List<Node> back = imported.messages().stream()
        .map(m -> new Node(m.parentId() == null ? -1 : position.get(m.parentId()), m.sender(), m.text(), m.model()))
        .toList();
    assertThat(back).isEqualTo(tree);
    assertThat(imported.messages()).extracting(ImportedMessage::createdAt).isEqualTo(messages.stream().map(ChatMessage::createdAt).toList());
    assertThat(ChatGptFormatTest.shownPath(imported)).isEqualTo(exported.currentPath().stream().map(ChatMessage::content).toList());
  }
}
