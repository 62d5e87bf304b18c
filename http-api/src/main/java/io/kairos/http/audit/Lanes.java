package io.kairos.http.audit;

import akka.NotUsed;
import akka.stream.FlowShape;
import akka.stream.UniformFanInShape;
import akka.stream.UniformFanOutShape;
import akka.stream.javadsl.Balance;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.GraphDSL;
import akka.stream.javadsl.Merge;

/**
 * Runs a flow's work on several threads: elements are balanced over {@code n} copies of the flow (each lane as ready as
 * it is fast takes the next), each behind its own asynchronous boundary, and their outputs merged as they come, in no
 * particular order. What crosses threads is the elements in and the outputs out, so a lane's work should be large next
 * to that hand-over.
 */
final class Lanes {
    private Lanes() {}

    static <I, O> Flow<I, O, NotUsed> balanced(int n, Flow<I, O, ?> lane) {
        if (n == 1) return lane.mapMaterializedValue(m -> NotUsed.getInstance());
        return Flow.fromGraph(GraphDSL.create(b -> {
            UniformFanOutShape<I, I> split = b.add(Balance.create(n));
            UniformFanInShape<O, O> merge = b.add(Merge.create(n));
            for (int i = 0; i < n; i++) {
                var copy = b.add(lane.async());
                b.from(split.out(i)).via(copy).toInlet(merge.in(i));
            }
            return FlowShape.of(split.in(), merge.out());
        }));
    }
}
