import { Injectable } from '@nestjs/common';
import { ExecuteResult, MapTask, SnailJob, SnailJobLog, type MapArgs } from 'nestjs-snail-job';

/** MAP job (taskType 4) with two levels: regions, then the orders of each region. */
@SnailJob('orderMap')
@Injectable()
export class OrderMapJob {
  @MapTask()
  root(args: MapArgs) {
    const regions = (args.jobParams ?? 'east,west').split(',').map((r) => r.trim());
    SnailJobLog.REMOTE.info('mapping %d regions: %s', regions.length, regions.join(', '));
    return args.doMap(regions, 'REGION');
  }

  @MapTask('REGION')
  region(args: MapArgs) {
    const region = String(args.mapResult);
    SnailJobLog.REMOTE.info('region %s: mapping its orders', region);
    return args.doMap(
      [1, 2, 3].map((n) => ({ region, order: n })),
      'ORDER',
    );
  }

  @MapTask('ORDER')
  order(args: MapArgs) {
    const { region, order } = args.mapResult as { region: string; order: number };
    return ExecuteResult.success(`${region}-${order} shipped`);
  }
}
