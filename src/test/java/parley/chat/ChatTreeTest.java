package parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tree of a chat from its order and the parents that differ from it. */
class ChatTreeTest {

  @Test
  void withoutParentsAChatIsAStraightLine() {
    ChatTree tree = new ChatTree(List.of("a", "b", "c"), Map.of());
    assertThat(tree.parentOf("a")).isNull();
    assertThat(tree.parentOf("c")).isEqualTo("b");
    assertThat(tree.currentPath()).containsExactly("a", "b", "c");
    assertThat(tree.siblingsOf("b")).containsExactly("b");
  }

  @Test
  void branchesHaveSiblingsAndPathsGoThroughTheMostRecentChild() {
    // q1 a1 q2 a2 | q2' (edit of q2) a2' | a2'' (regenerated a2') | q1' (edit of q1, a new root) a1'
    Map<String, String> parents = new HashMap<>();
    parents.put("q2e", "a1");
    parents.put("a2r", "q2e");
    parents.put("q1e", null);
    ChatTree tree = new ChatTree(List.of("q1", "a1", "q2", "a2", "q2e", "a2e", "a2r", "q1e", "a1e"), parents);
    assertThat(tree.siblingsOf("q2e")).containsExactly("q2", "q2e");
    assertThat(tree.siblingsOf("a2r")).containsExactly("a2e", "a2r");
    assertThat(tree.siblingsOf("q1e")).containsExactly("q1", "q1e");
    assertThat(tree.currentPath()).containsExactly("q1e", "a1e");
    assertThat(tree.pathVia("q1")).containsExactly("q1", "a1", "q2e", "a2r");
    assertThat(tree.pathVia("q2")).containsExactly("q1", "a1", "q2", "a2");
    assertThat(tree.pathTo("a2e")).containsExactly("q1", "a1", "q2e", "a2e");
    assertThat(tree.contains("nope")).isFalse();
  }
}
