package parley.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.function.Consumer;

/**
 * Who is in the cluster, and news of nodes that leave it. Listens through Hazelcast itself: the
 * cluster manager's single node-listener slot belongs to Vert.x.
 */
public interface Membership {
  /** Vert.x stores its node id as this Hazelcast member attribute. */
  String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  String nodeId();

  /** Node ids of the live members, this one included. */
  List<String> nodes();

  /** The handler is called (on a Hazelcast thread) with the node id of each member that leaves. */
  void onNodeLeft(Consumer<String> handler);

  /** One live node is chosen to act for the cluster: the one with the smallest id. */
  default boolean isCoordinator() {
    return nodes().stream().sorted().findFirst().map(nodeId()::equals).orElse(true);
  }

  static Membership of(HazelcastClusterManager manager) {
    return new Membership() {
      @Override
      public String nodeId() {
        return manager.getNodeId();
      }

      @Override
      public List<String> nodes() {
        return manager.getNodes();
      }

      @Override
      public void onNodeLeft(Consumer<String> handler) {
        manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent event) {}

          @Override
          public void memberRemoved(MembershipEvent event) {
            String nodeId = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
            if (nodeId != null) {
              handler.accept(nodeId);
            }
          }
        });
      }
    };
  }

  /** A node on its own. */
  static Membership single(String nodeId) {
    return new Membership() {
      @Override
      public String nodeId() {
        return nodeId;
      }

      @Override
      public List<String> nodes() {
        return List.of(nodeId);
      }

      @Override
      public void onNodeLeft(Consumer<String> handler) {}
    };
  }
}
