"""The SPEC §6 "cluster" request workload in SimPy, for the speed comparison
in the README (`python3 benches/simpy/cluster.py`).

Deliberately simpler than hasim's model, so the comparison favours SimPy:
8 nodes x 4 workers, Poisson 2000 requests/s, exponential 10 ms service,
round-robin dispatch, FIFO queues of 1000, latency recorded per request. No
failures, heartbeats or retries.
"""
import random
import sys
import time

import simpy

NODES, WORKERS, QUEUE, RATE, SERVICE = 8, 4, 1000, 2000.0, 0.010


def main(duration):
    env = simpy.Environment()
    rng = random.Random(1)
    nodes = [simpy.Resource(env, capacity=WORKERS) for _ in range(NODES)]
    latencies = []
    stats = {"offered": 0, "rejected": 0}

    def task(node, arrived, service):
        with node.request() as slot:
            yield slot
            yield env.timeout(service)
        latencies.append(env.now - arrived)

    def arrivals():
        cursor = 0
        while True:
            yield env.timeout(rng.expovariate(RATE))
            stats["offered"] += 1
            node = nodes[cursor]
            cursor = (cursor + 1) % NODES
            if len(node.queue) >= QUEUE:
                stats["rejected"] += 1
                continue
            env.process(task(node, env.now, rng.expovariate(1.0 / SERVICE)))

    env.process(arrivals())
    start = time.perf_counter()
    env.run(until=duration)
    wall = time.perf_counter() - start
    n = stats["offered"]
    print(f"simpy cluster: {n} requests in {wall:.2f} s = {n / wall / 1e6:.3f} M requests/s "
          f"(mean latency {1e3 * sum(latencies) / len(latencies):.2f} ms)")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 200.0)
