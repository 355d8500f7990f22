import type {Region, Topology} from '../define.js'

/** `us-east-1`, `eu-west-2`, `us-gov-west-1`, `ap-southeast-3` … */
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/

/**
 * The AWS region behind a topology region: the driver config's mapping (`regions: {us-east: us-east-1}`),
 * else the topology name itself when it is an AWS region name.
 */
export function awsRegionOf(name: string, mapping: Record<string, string>): string | undefined {
  const mapped = mapping[name] ?? name
  return AWS_REGION.test(mapped) ? mapped : undefined
}

export function findRegion(topology: Topology, name: string): Region | undefined {
  return topology.regions.find((region) => region.name === name)
}
