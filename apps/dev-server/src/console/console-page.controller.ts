import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CONSOLE_DIST, CONSOLE_NOT_BUILT, consoleBuilt } from './console-assets.js';

/** A hashed Vite asset name such as `index-DiwrgTda.js`. */
const ASSET_NAME = /^[\w.-]+\.(js|css|svg|png|woff2?)$/;

/** Serves the built web console: the page at `/`, its hashed bundles under `/assets/`. */
@Controller()
export class ConsolePageController {
  @Get()
  page(@Res() res: Response): void {
    if (!consoleBuilt()) {
      res.status(404).type('text/plain').send(CONSOLE_NOT_BUILT);
      return;
    }
    res.sendFile('index.html', { root: CONSOLE_DIST, headers: { 'cache-control': 'no-cache' } });
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSET_NAME.test(file) || file.startsWith('.')) throw new NotFoundException(`No asset "${file}".`);
    // Names carry a content hash: cache them for good.
    res.sendFile(file, { root: `${CONSOLE_DIST}assets`, maxAge: '1y', immutable: true }, (e?: Error) => {
      if (e && !res.headersSent) res.status(404).type('text/plain').send(`No asset "${file}".`);
    });
  }
}
