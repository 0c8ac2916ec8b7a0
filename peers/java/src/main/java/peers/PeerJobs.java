package peers;

import com.aizuda.snailjob.client.job.core.annotation.JobExecutor;
import com.aizuda.snailjob.client.job.core.dto.JobArgs;
import com.aizuda.snailjob.client.job.core.dto.ShardingJobArgs;
import com.aizuda.snailjob.common.log.SnailJobLog;
import com.aizuda.snailjob.model.dto.ExecuteResult;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The plain executors, with the names and behaviour of their Python and Node counterparts
 * (peers/python/peer.py describes them all).
 */
@Component
public class PeerJobs {
    static final String PEER = "java";

    static String nowMicros() {
        Instant now = Instant.now();
        return Long.toString(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
    }

    static int countOf(Object params) {
        try {
            return params == null ? 0 : Integer.parseInt(params.toString().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @JobExecutor(name = "peerNoop")
    public ExecuteResult noop(JobArgs args) {
        return ExecuteResult.success(nowMicros());
    }

    /** Sleeps jobParams ms; a stop interrupts the thread (the client's shutdownNow), which ends the sleep. */
    @JobExecutor(name = "peerSleep")
    public ExecuteResult sleep(JobArgs args) {
        String started = nowMicros();
        try {
            Thread.sleep(countOf(args.getJobParams()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExecuteResult.failure("stopped");
        }
        return ExecuteResult.success(started);
    }

    @JobExecutor(name = "peerFail")
    public ExecuteResult fail(JobArgs args) {
        return ExecuteResult.failure("peerFail always fails");
    }

    @JobExecutor(name = "peerShard")
    public ExecuteResult shard(ShardingJobArgs args) {
        return ExecuteResult.success(args.getShardingIndex() + "/" + args.getShardingTotal());
    }

    @JobExecutor(name = "peerWorkflow")
    public ExecuteResult workflow(JobArgs args) {
        Map<String, Object> context = args.getWfContext();
        TreeSet<String> seen = context == null ? new TreeSet<>() : new TreeSet<>(context.keySet());
        Object params = args.getJobParams();
        args.appendContext("peer_" + PEER + "_" + args.getJobId(),
            params == null || params.toString().isEmpty() ? "ran" : params.toString());
        StringBuilder json = new StringBuilder("[");
        for (String key : seen) {
            json.append(json.length() > 1 ? ", " : "").append('"').append(key).append('"');
        }
        return ExecuteResult.success(json.append(']').toString());
    }

    @JobExecutor(name = "peerLog")
    public ExecuteResult log(JobArgs args) {
        int lines = countOf(args.getJobParams());
        for (int i = 0; i < lines; i++) {
            SnailJobLog.REMOTE.info("task {}: processed row {} of {}", args.getTaskBatchId(), i, lines);
        }
        return ExecuteResult.success(Integer.toString(lines));
    }
}
