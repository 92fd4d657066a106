import { BadRequestException, Param, ParseUUIDPipe, Query } from '@nestjs/common';

const uuidPipe = (name: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a UUID`) });

/** A route parameter that must be a UUID; a malformed one is a 400 that names it. */
export const UuidParam = (name: string): ParameterDecorator => Param(name, uuidPipe(name));

/** A required query parameter that must be a UUID. */
export const UuidQuery = (name: string): ParameterDecorator => Query(name, uuidPipe(name));
