import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable, tap } from 'rxjs';
import { PersistenceService } from './persistence.service.js';

/**
 * Writes the changes an HTTP request made before it is answered (when a data directory is in use), so that an
 * acknowledged change is on disk.
 */
@Injectable()
export class PersistAfterRequestInterceptor implements NestInterceptor {
  constructor(private readonly persistence: PersistenceService) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(tap({ next: () => this.persistence.flush(), error: () => this.persistence.flush() }));
  }
}
