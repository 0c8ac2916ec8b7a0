"""The bench's executors on the Python SnailJob client (snail-job-python, pinned in requirements.txt).

Started by bench/src/peers (npm run bench:peers / npm run test:peers) with the SNAIL_* variables the client
reads itself (server address, this node's port, namespace, group, token). Every executor has the name and the
behaviour of its counterpart in the Java peer and in ours (bench/src/peers/apps/node-peer.ts):

  peerNoop       returns the handler's start time (epoch microseconds) as its result
  peerSleep      sleeps jobParams ms in 5 ms slices, giving up when the batch is stopped
  peerFail       always fails (retry scenario)
  peerShard      returns "index/total" of its shard
  peerWorkflow   appends "<peer>=<jobParams or 'ran'>" to the workflow context, returns the keys it saw
  peerLog        writes jobParams remote log lines
  peerMap        ROOT_MAP fans out jobParams items to ITEM (in chunks the client accepts) and returns the time
                 it was done (epoch microseconds); ITEM succeeds
  peerMapReduce  ROOT_MAP fans out the numbers 1..N to ITEM, ITEM returns its number, reduce and merge sum
"""

import json
import os
import signal
import threading
import time
from concurrent import futures

import grpc

from snailjob.grpc import snailjob_pb2_grpc
from snailjob.grpc._server import SnailJobServicer
from snailjob.rpc import send_heartbeat
from snailjob import (
    ExecuteResult,
    ExecutorManager,
    MapExecutor,
    MapReduceExecutor,
    SnailLog,
    ThreadPoolCache,
    job,
    mr_do_map,
)

PEER = "python"
# mr_do_map refuses more than 200 items a call (snailjob/utils.py).
CHUNK = 200


def now_us() -> str:
    return str(int(time.time() * 1_000_000))


def count_of(params) -> int:
    try:
        return int(str(params).strip() or "0")
    except ValueError:
        return 0


@job("peerNoop")
def peer_noop(args):
    return ExecuteResult.success(now_us())


@job("peerSleep")
def peer_sleep(args):
    started = now_us()
    deadline = time.monotonic() + count_of(args.job_params) / 1000
    while time.monotonic() < deadline:
        if ThreadPoolCache.event_is_set(args.task_batch_id):
            return ExecuteResult.failure("stopped")
        time.sleep(0.005)
    return ExecuteResult.success(started)


@job("peerFail")
def peer_fail(args):
    return ExecuteResult.failure("peerFail always fails")


@job("peerShard")
def peer_shard(args):
    return ExecuteResult.success(f"{args.sharding_index}/{args.sharding_total}")


@job("peerWorkflow")
def peer_workflow(args):
    seen = sorted((args.wf_context or {}).keys())
    args.append_context(f"peer_{PEER}_{args.job_id}", args.job_params or "ran")
    return ExecuteResult.success(json.dumps(seen))


@job("peerLog")
def peer_log(args):
    lines = count_of(args.job_params)
    for i in range(lines):
        SnailLog.REMOTE.info(f"task {args.task_batch_id}: processed row {i} of {lines}")
    return ExecuteResult.success(str(lines))


def fan_out(total: int, item) -> str:
    """Hands `total` items to ITEM in chunks; returns the time it was done (epoch microseconds)."""
    for start in range(0, total, CHUNK):
        mr_do_map([item(i) for i in range(start, min(total, start + CHUNK))], "ITEM")
    return now_us()


peer_map = MapExecutor("peerMap")


@peer_map.map()
def peer_map_root(args):
    return ExecuteResult.success(fan_out(count_of(args.job_params), lambda i: {"id": i, "shard": f"region-{i % 16}"}))


@peer_map.map("ITEM")
def peer_map_item(args):
    return ExecuteResult.success()


peer_mr = MapReduceExecutor("peerMapReduce")


@peer_mr.map()
def peer_mr_root(args):
    fan_out(count_of(args.job_params), lambda i: i + 1)
    return ExecuteResult.success(str(count_of(args.job_params)))


@peer_mr.map("ITEM")
def peer_mr_item(args):
    return ExecuteResult.success(args.map_result)


@peer_mr.reduce()
def peer_mr_reduce(args):
    return ExecuteResult.success(sum(int(json.loads(v)) if isinstance(v, str) else int(v) for v in args.map_result))


@peer_mr.merge()
def peer_mr_merge(args):
    return ExecuteResult.success(sum(int(json.loads(v)) if isinstance(v, str) else int(v) for v in args.reduces))


def serve() -> None:
    """snailjob.client_main, but bound to SNAIL_BIND_HOST (127.0.0.1) instead of every interface, and ended by
    SIGTERM: the client's own pieces (heartbeat, executor registration, servicer) in the same order."""
    stopped = threading.Event()

    def beat():
        while not stopped.is_set():
            send_heartbeat()
            stopped.wait(28)  # the client's own period (snailjob/main.py)

    threading.Thread(target=beat, daemon=True).start()
    ExecutorManager.register_executors_to_server()
    server = grpc.server(futures.ThreadPoolExecutor(thread_name_prefix="snail-job-server", max_workers=10))
    snailjob_pb2_grpc.add_UnaryRequestServicer_to_server(SnailJobServicer(), server)
    server.add_insecure_port(f"{os.environ.get('SNAIL_BIND_HOST', '127.0.0.1')}:{os.environ['SNAIL_HOST_PORT']}")
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(f"peer ready pid={os.getpid()}", flush=True)
    while not stopped.wait(1):
        pass
    server.stop(0)


if __name__ == "__main__":
    for executor in (peer_noop, peer_sleep, peer_fail, peer_shard, peer_workflow, peer_log, peer_map, peer_mr):
        ExecutorManager.register(executor)
    serve()
