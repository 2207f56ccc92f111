package parley.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;
import java.util.List;
import parley.config.Settings;

/**
 * The Hazelcast cluster manager for a clustered node. It starts from Vert.x's own configuration
 * (a {@code cluster.xml} on the classpath, or {@code -Dvertx.hazelcast.config=...}, or the default)
 * and applies the PARLEY_CLUSTER_* settings on top, so the common cases need no XML.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  public static HazelcastClusterManager clusterManager(Settings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.clusterName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.getNetworkConfig().setPort(settings.clusterPort()).setPortAutoIncrement(true);
    List<String> members = members(settings.clusterMembers());
    if (!members.isEmpty()) {
      JoinConfig join = config.getNetworkConfig().getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    if (!settings.clusterHost().isEmpty()) {
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(settings.clusterHost());
      config.setProperty("hazelcast.local.localAddress", settings.clusterHost());
    }
    return new HazelcastClusterManager(config);
  }

  /** The event bus listens where Hazelcast does, so nodes reach each other on the same interface. */
  public static VertxOptions vertxOptions(Settings settings) {
    VertxOptions options = new VertxOptions();
    if (!settings.clusterHost().isEmpty()) {
      options.getEventBusOptions().setHost(settings.clusterHost());
    }
    return options;
  }

  static List<String> members(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(member -> !member.isEmpty()).toList();
  }
}
