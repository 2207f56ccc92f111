package parley.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of one chat's messages: who follows whom. Built from the ids in the order they were
 * created and the parents that differ from that order (a message with no parent of its own follows
 * the message created just before it, which is how every chat written before branching reads: a
 * straight line). Pure: no store, no JSON.
 */
public final class ChatTree {
  private final List<String> order;
  private final Map<String, String> parents = new HashMap<>();
  private final Map<String, List<String>> children = new HashMap<>();
  private final List<String> roots = new ArrayList<>();

  /**
   * @param order every message id of the chat, oldest first
   * @param explicitParents the parent of each message that does not follow its predecessor in
   *     {@code order}; the value null makes a message a root (a new first message)
   */
  public ChatTree(List<String> order, Map<String, String> explicitParents) {
    this.order = List.copyOf(order);
    String previous = null;
    for (String id : this.order) {
      String parent = explicitParents.containsKey(id) ? explicitParents.get(id) : previous;
      parents.put(id, parent);
      if (parent == null) {
        roots.add(id);
      } else {
        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(id);
      }
      previous = id;
    }
  }

  public boolean contains(String id) {
    return parents.containsKey(id);
  }

  public boolean isEmpty() {
    return order.isEmpty();
  }

  /** The message created last, or null for an empty chat. */
  public String latest() {
    return order.isEmpty() ? null : order.get(order.size() - 1);
  }

  public String parentOf(String id) {
    return parents.get(id);
  }

  /** The ids sharing the message's parent, oldest first, itself included. */
  public List<String> siblingsOf(String id) {
    String parent = parents.get(id);
    return parent == null ? Collections.unmodifiableList(roots) : Collections.unmodifiableList(children.get(parent));
  }

  /** From the root to {@code id}, both included. */
  public List<String> pathTo(String id) {
    List<String> path = new ArrayList<>();
    for (String at = id; at != null; at = parents.get(at)) {
      path.add(at);
    }
    Collections.reverse(path);
    return path;
  }

  /** The path through {@code id}, continued from it by the most recent child at each step. */
  public List<String> pathVia(String id) {
    List<String> path = pathTo(id);
    for (List<String> next = children.get(id); next != null; next = children.get(path.get(path.size() - 1))) {
      path.add(next.get(next.size() - 1));
    }
    return path;
  }

  /** The path a chat shows by default: to its most recently created message. */
  public List<String> currentPath() {
    return order.isEmpty() ? List.of() : pathTo(latest());
  }
}
