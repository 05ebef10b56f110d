// AWS JSON 1.1 errors: `{"__type": code, "message": ...}` with the HTTP status the real services use.

/** An error the emulator answers with, exactly as ECS / Application Auto Scaling would. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Members some errors carry besides the message (ECS ConflictException's resourceIds). */
    readonly members: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const clientException = (message: string) => new ApiError('ClientException', message);
export const invalidParameter = (message: string) => new ApiError('InvalidParameterException', message);
export const clusterNotFound = () => new ApiError('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () => new ApiError('ServiceNotFoundException', 'Service not found.');
export const serviceNotActive = () => new ApiError('ServiceNotActiveException', 'Service not active.');
export const validationException = (message: string) => new ApiError('ValidationException', message);
export const serverException = (message = 'Service Unavailable. Please try again later.') =>
  new ApiError('ServerException', message, 500);
export const serviceDeploymentNotFound = () =>
  new ApiError('ServiceDeploymentNotFoundException', 'Service deployment not found.');
export const conflict = (message: string) => new ApiError('ConflictException', message);
