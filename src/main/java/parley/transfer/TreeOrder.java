package parley.transfer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * An order in which a tree's nodes can be created: each after its parent. Of the nodes that could
 * come next, the one first by the given comparator comes first, so a file already in creation order
 * keeps its order. Iterative throughout: a chain of a hundred thousand messages is as easy as a
 * short one.
 */
final class TreeOrder {
  /** Some nodes never reach a root: they (or their ancestors) form a cycle. */
  static final class Cycle extends Exception {
    private final List<Integer> members;

    Cycle(List<Integer> members) {
      super(null, null, false, false);
      this.members = List.copyOf(members);
    }

    /** The nodes of one cycle, each the parent of the one before. */
    List<Integer> members() {
      return members;
    }
  }

  private TreeOrder() {}

  /**
   * @param parents the parent of each node, by index; -1 for a root
   * @param first which of two nodes that could both come next comes first
   * @param last a node without children to put at the very end, or -1
   * @return every node's index, each after its parent
   */
  static int[] of(int[] parents, Comparator<Integer> first, int last) throws Cycle {
    int count = parents.length;
    Map<Integer, List<Integer>> children = new HashMap<>();
    PriorityQueue<Integer> ready = new PriorityQueue<>(Math.max(1, count), first);
    for (int node = 0; node < count; node++) {
      if (parents[node] < 0) {
        ready.add(node);
      } else {
        children.computeIfAbsent(parents[node], parent -> new ArrayList<>()).add(node);
      }
    }
    if (last >= 0 && children.containsKey(last)) {
      throw new IllegalArgumentException("the node to put last has children");
    }
    int[] order = new int[count];
    int placed = 0;
    boolean lastReady = false;
    while (!ready.isEmpty()) {
      int node = ready.poll();
      if (node == last) {
        lastReady = true;
        continue;
      }
      order[placed++] = node;
      ready.addAll(children.getOrDefault(node, List.of()));
    }
    if (lastReady) {
      order[placed++] = last;
    }
    if (placed < count) {
      throw new Cycle(cycleAmong(parents, order, placed));
    }
    return order;
  }

  /**
   * A node left out never reaches a root, and neither does its parent (a placed parent would have
   * placed it), so following parents from it must come round to a node seen before.
   */
  private static List<Integer> cycleAmong(int[] parents, int[] order, int placed) {
    boolean[] wasPlaced = new boolean[parents.length];
    for (int i = 0; i < placed; i++) {
      wasPlaced[order[i]] = true;
    }
    int start = 0;
    while (wasPlaced[start]) {
      start++;
    }
    int[] seenAt = new int[parents.length];
    Arrays.fill(seenAt, -1);
    List<Integer> walk = new ArrayList<>();
    int node = start;
    while (seenAt[node] < 0) {
      seenAt[node] = walk.size();
      walk.add(node);
      node = parents[node];
    }
    return Collections.unmodifiableList(walk.subList(seenAt[node], walk.size()));
  }
}
