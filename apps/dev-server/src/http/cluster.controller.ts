import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ClusterApi } from '../api/cluster-api.service.js';
import { timeoutQuery } from './query.js';

/** `/api/nodes`, `/api/executors`, `/api/groups`. */
@Controller('api')
export class ClusterController {
  constructor(private readonly cluster: ClusterApi) {}

  @Get('nodes')
  nodes() {
    return this.cluster.nodes();
  }

  /** Long-poll until `count` alive nodes are registered. */
  @Get('nodes/wait')
  waitForNodes(
    @Query('count') count?: string,
    @Query('timeoutMs') timeoutMs?: string,
    @Query('groupName') groupName?: string,
  ) {
    return this.cluster.waitForNodes(
      Number(count ?? 1) || 1,
      timeoutQuery(timeoutMs),
      groupName || undefined,
    );
  }

  @Get('executors')
  executors() {
    return this.cluster.executors();
  }

  @Get('groups')
  groups() {
    return this.cluster.groups();
  }

  @Post('groups')
  addGroup(@Body() body: unknown) {
    return this.cluster.addGroup(body);
  }

  /** Pushes `/sync/version` (version + 1) to every alive node of the group. */
  @Post('groups/:group/sync')
  @HttpCode(200)
  sync(@Param('group') group: string, @Query('namespaceId') namespaceId?: string) {
    return this.cluster.pushConfig(group, namespaceId || undefined);
  }
}
