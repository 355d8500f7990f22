/** What `rift init` writes: a commented experiment that validates and runs as it is, on the memory driver. */
export const EXPERIMENT_TEMPLATE = `# yaml-language-server: $schema=https://raw.githubusercontent.com/rift-chaos/rift/main/schemas/experiment.schema.json
#
# A rift experiment. Check it with \`rift validate <file>\`, see what would happen with \`rift plan <file>\`,
# and run it with \`rift run <file>\`. The format is described in docs/experiment-format.md.
version: rift/v1

# Say what the experiment shows; reports and CI use it as the test's name.
title: an outage of us-east leaves eu-west serving
tags: [example]

# The regions of the system under test and the directed paths between them. "clients" is where users are.
topology:
  regions: [us-east, eu-west]
  links:
    - {name: client-us-east, from: clients, to: us-east, kind: client}
    - {name: client-eu-west, from: clients, to: eu-west, kind: client}
    - {name: repl-us-east-eu-west, from: us-east, to: eu-west, kind: replication}

# The driver that injects faults. "memory" is a simulated network, safe to practise on; later drivers
# (toxiproxy, aws-fis, route53) take a config object, e.g. {toxiproxy: {url: http://127.0.0.1:8474}}.
driver: memory

# The hypothesis: probes that must hold before the method (or nothing is injected) and after it.
# Probes: http: {url, expect: {status}}, tcp: {address}, command: {run: [argv]}, or <driver>.<probe>.
steadyState:
  - name: clients reach eu-west
    probe: memory.reachable
    params: {from: clients, to: eu-west}
    expect: {equals: true}

# The method runs in order. Every fault has a duration and is always reverted, whatever happens.
method:
  - wait: 1s
  - fault: region-outage        # also: latency, partition, bandwidth, replication-pause, replica-corruption
    region: us-east
    mode: blackhole              # blackhole | reject | reset
    duration: 2s
    background: true             # keep going while the fault is held
  - name: eu-west still serves during the outage
    probe: memory.reachable
    params: {from: clients, to: eu-west}
    expect: {equals: true}
  - wait: 2s

# Objectives judged at the end, e.g. failoverTime: "<= 10s", dataLoss: "== 0", availability: ">= 99%".
# They need a workload that measures them; without one they are inconclusive, never a pass.
# slos:
#   availability: ">= 99%"

guardrails:
  maxDuration: 5m                # the method is stopped (and everything reverted) past this
  allowRegions: [us-east, eu-west]
`
