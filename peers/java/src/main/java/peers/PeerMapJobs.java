package peers;

import com.aizuda.snailjob.client.job.core.MapHandler;
import com.aizuda.snailjob.client.job.core.annotation.JobExecutor;
import com.aizuda.snailjob.client.job.core.annotation.MapExecutor;
import com.aizuda.snailjob.client.job.core.annotation.MergeReduceExecutor;
import com.aizuda.snailjob.client.job.core.annotation.ReduceExecutor;
import com.aizuda.snailjob.client.job.core.dto.MapArgs;
import com.aizuda.snailjob.client.job.core.dto.MergeReduceArgs;
import com.aizuda.snailjob.client.job.core.dto.ReduceArgs;
import com.aizuda.snailjob.model.dto.ExecuteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.springframework.stereotype.Component;

/** peerMap and peerMapReduce (see peers/python/peer.py). */
public final class PeerMapJobs {
    /** MapInvokeHandler refuses more than 500 items a call. */
    static final int CHUNK = 500;

    private PeerMapJobs() {}

    /** Hands {@code total} items to ITEM in chunks; returns the time it was done (epoch microseconds). */
    static <T> String fanOut(int total, IntFunction<T> item, MapHandler<T> handler) {
        for (int start = 0; start < total; start += CHUNK) {
            List<T> chunk = new ArrayList<>(CHUNK);
            for (int i = start; i < Math.min(total, start + CHUNK); i++) {
                chunk.add(item.apply(i));
            }
            handler.doMap(chunk, "ITEM");
        }
        return PeerJobs.nowMicros();
    }

    static long sum(List<?> values) {
        long total = 0;
        for (Object value : values) {
            total += Long.parseLong(value.toString().replace("\"", "").trim());
        }
        return total;
    }

    @Component
    @JobExecutor(name = "peerMap")
    public static class PeerMap {
        @MapExecutor
        public ExecuteResult root(MapArgs args, MapHandler<Map<String, Object>> handler) {
            return ExecuteResult.success(fanOut(PeerJobs.countOf(args.getJobParams()),
                i -> Map.of("id", i, "shard", "region-" + (i % 16)), handler));
        }

        @MapExecutor(taskName = "ITEM")
        public ExecuteResult item(MapArgs args) {
            return ExecuteResult.success();
        }
    }

    @Component
    @JobExecutor(name = "peerMapReduce")
    public static class PeerMapReduce {
        @MapExecutor
        public ExecuteResult root(MapArgs args, MapHandler<Integer> handler) {
            int total = PeerJobs.countOf(args.getJobParams());
            fanOut(total, i -> i + 1, handler);
            return ExecuteResult.success(Integer.toString(total));
        }

        @MapExecutor(taskName = "ITEM")
        public ExecuteResult item(MapArgs args) {
            return ExecuteResult.success(args.getMapResult());
        }

        @ReduceExecutor
        public ExecuteResult reduce(ReduceArgs args) {
            return ExecuteResult.success(sum(args.getMapResult()));
        }

        @MergeReduceExecutor
        public ExecuteResult merge(MergeReduceArgs args) {
            return ExecuteResult.success(sum(args.getReduces()));
        }
    }
}
