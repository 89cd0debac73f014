package io.meshwatch.inventory;

/**
 * A router of the network.
 *
 * @param id     the router id used as the Kafka key of its events (for example {@code tr-use1})
 * @param site   where it runs: a data centre, a cloud-exchange site or a cloud region's VPC
 * @param region the cloud region (for example {@code us-east-1}), or null
 * @param asn    its own AS number
 * @param role   what it does in the network
 */
public record Router(String id, String site, String region, long asn, RouterRole role) {
}
