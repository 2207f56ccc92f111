package parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** Each node after its parent, the comparator's order otherwise, a chosen leaf last, cycles found. */
class TreeOrderTest {
  @Test
  void anOrderThatIsAlreadyRightIsKept() throws TreeOrder.Cycle {
    int[] parents = {-1, 0, 0, 1, -1};
    assertThat(TreeOrder.of(parents, Comparator.naturalOrder(), -1)).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aChildListedBeforeItsParentComesAfterIt() throws TreeOrder.Cycle {
    int[] parents = {2, -1, 1};
    assertThat(TreeOrder.of(parents, Comparator.naturalOrder(), -1)).containsExactly(1, 2, 0);
  }

  @Test
  void theChosenLeafComesLastAndTheRestKeepTheirOrder() throws TreeOrder.Cycle {
    int[] parents = {-1, 0, 0, 1};
    assertThat(TreeOrder.of(parents, Comparator.naturalOrder(), 2)).containsExactly(0, 1, 3, 2);
  }

  @Test
  void aLongChainNeedsNoRecursion() throws TreeOrder.Cycle {
    int[] parents = new int[200_000];
    for (int i = 0; i < parents.length; i++) {
      parents[i] = i == parents.length - 1 ? -1 : i + 1;
    }
    int[] order = TreeOrder.of(parents, Comparator.naturalOrder(), -1);
    assertThat(order[0]).isEqualTo(parents.length - 1);
    assertThat(order[order.length - 1]).isZero();
  }

  @Test
  void aCycleIsReportedWithItsMembers() {
    int[] parents = {-1, 3, 1, 2, 1};
    assertThatThrownBy(() -> TreeOrder.of(parents, Comparator.naturalOrder(), -1))
        .isInstanceOfSatisfying(TreeOrder.Cycle.class, cycle -> {
          assertThat(cycle.members()).containsExactlyInAnyOrder(1, 2, 3);
          assertThat(Arrays.asList(4, 0)).doesNotContainAnyElementsOf(cycle.members());
        });
  }

  @Test
  void aNodeThatIsItsOwnParentIsACycle() {
    assertThatThrownBy(() -> TreeOrder.of(new int[] {0}, Comparator.naturalOrder(), -1))
        .isInstanceOfSatisfying(TreeOrder.Cycle.class, cycle -> assertThat(cycle.members()).containsExactly(0));
  }
}
