// What RegisterTaskDefinition rejects that no JSON Schema can express, checked first and explained in
// plain words (ECS's reasons, from its error messages and the task definition parameter reference).
import type { Loaded, ProblemSink } from './loaded.js';
import type { ContainerDefinition } from './spec-types.js';
import { fargatePairProblem, parseCpu, parseMemory } from './units.js';

const CD = '/spec/containerDefinitions';

export function checkTaskDefinition(td: Loaded<'TaskDefinition'>, sink: ProblemSink): void {
  const spec = td.spec;
  const containers = spec.containerDefinitions;
  const fargate = spec.requiresCompatibilities?.includes('FARGATE') ?? false;
  const networkMode = spec.networkMode;
  const cpu = spec.cpu === undefined ? undefined : parseCpu(spec.cpu);
  const memory = spec.memory === undefined ? undefined : parseMemory(spec.memory);
  if (spec.cpu !== undefined && cpu === undefined) sink.add(td, '/spec/cpu', 'is not a valid CPU amount');
  if (spec.memory !== undefined && memory === undefined)
    sink.add(td, '/spec/memory', 'is not a valid memory amount');

  if (fargate) {
    if (networkMode !== 'awsvpc') {
      sink.add(
        td,
        networkMode ? '/spec/networkMode' : '/spec/requiresCompatibilities',
        `Fargate requires networkMode "awsvpc"${networkMode ? `, got "${networkMode}"` : ' (it is not set)'}`,
      );
    }
    if (spec.cpu === undefined) sink.add(td, '/spec', 'Fargate requires task-level cpu');
    if (spec.memory === undefined) sink.add(td, '/spec', 'Fargate requires task-level memory');
    if (cpu !== undefined && memory !== undefined) {
      const problem = fargatePairProblem(cpu, memory);
      if (problem) sink.add(td, '/spec/memory', problem);
    }
    if (spec.placementConstraints?.length) {
      sink.add(td, '/spec/placementConstraints', 'Fargate does not support task placement constraints');
    }
    if (spec.ipcMode) sink.add(td, '/spec/ipcMode', 'Fargate does not support ipcMode');
    if (spec.inferenceAccelerators?.length) {
      sink.add(td, '/spec/inferenceAccelerators', 'Fargate does not support inference accelerators');
    }
  }
  if (cpu !== undefined && (cpu < 128 || cpu > 196608) && !fargate) {
    sink.add(
      td,
      '/spec/cpu',
      `task cpu must be between 128 (0.125 vCPU) and 196608 (192 vCPU) units, got ${cpu}`,
    );
  }

  const names = new Map<string, number>();
  const volumeNames = new Set((spec.volumes ?? []).map((volume) => volume.name).filter(Boolean));
  let essentialCount = 0;
  let containerCpu = 0;
  let containerMemory = 0;
  containers.forEach((container, index) => {
    const at = `${CD}/${index}`;
    const first = names.get(container.name);
    if (first !== undefined) {
      sink.add(
        td,
        `${at}/name`,
        `container name "${container.name}" is already used by containerDefinitions[${first}]; names must be unique`,
      );
    } else {
      names.set(container.name, index);
    }
    if (container.essential !== false) essentialCount += 1;
    containerCpu += container.cpu ?? 0;
    containerMemory += container.memory ?? container.memoryReservation ?? 0;
    checkContainer(td, container, at, { fargate, networkMode, taskMemory: memory, volumeNames, sink });
  });
  if (essentialCount === 0) {
    sink.add(td, CD, 'at least one container must be essential (every container has essential: false)');
  }
  if (cpu !== undefined && containerCpu > cpu) {
    sink.add(td, '/spec/cpu', `the containers' cpu adds up to ${containerCpu}, more than the task's ${cpu}`);
  }
  if (memory !== undefined && containerMemory > memory) {
    sink.add(
      td,
      '/spec/memory',
      `the containers' memory adds up to ${containerMemory} MiB, more than the task's ${memory} MiB`,
    );
  }

  // References between containers.
  containers.forEach((container, index) => {
    container.dependsOn?.forEach((dependency, i) => {
      if (!names.has(dependency.containerName)) {
        sink.add(
          td,
          `${CD}/${index}/dependsOn/${i}/containerName`,
          `no container named "${dependency.containerName}" in this task definition`,
        );
      } else if (dependency.containerName === container.name) {
        sink.add(td, `${CD}/${index}/dependsOn/${i}/containerName`, 'a container cannot depend on itself');
      }
    });
    container.volumesFrom?.forEach((source, i) => {
      if (source.sourceContainer && !names.has(source.sourceContainer)) {
        sink.add(
          td,
          `${CD}/${index}/volumesFrom/${i}/sourceContainer`,
          `no container named "${source.sourceContainer}" in this task definition`,
        );
      }
    });
    container.links?.forEach((link, i) => {
      const target = link.split(':')[0] ?? link;
      if (networkMode === 'awsvpc' || networkMode === 'host') {
        sink.add(
          td,
          `${CD}/${index}/links/${i}`,
          `links are not supported with networkMode "${networkMode}"`,
        );
      } else if (!names.has(target)) {
        sink.add(td, `${CD}/${index}/links/${i}`, `no container named "${target}" in this task definition`);
      }
    });
  });

  const usesFirelens = containers.some(
    (container) => container.logConfiguration?.logDriver === 'awsfirelens',
  );
  const routers = containers.filter((container) => container.firelensConfiguration);
  if (usesFirelens && routers.length === 0) {
    const index = containers.findIndex(
      (container) => container.logConfiguration?.logDriver === 'awsfirelens',
    );
    sink.add(
      td,
      `${CD}/${index}/logConfiguration/logDriver`,
      'the awsfirelens log driver needs a log router container with firelensConfiguration in this task definition',
    );
  }
  if (routers.length > 1) sink.add(td, CD, 'only one container may have a firelensConfiguration');

  const volumes = new Map<string, number>();
  spec.volumes?.forEach((volume, index) => {
    if (!volume.name) return;
    const first = volumes.get(volume.name);
    if (first !== undefined)
      sink.add(
        td,
        `/spec/volumes/${index}/name`,
        `volume name "${volume.name}" is already used by volumes[${first}]`,
      );
    else volumes.set(volume.name, index);
    if (fargate && volume.host?.sourcePath) {
      sink.add(
        td,
        `/spec/volumes/${index}/host/sourcePath`,
        'Fargate does not support host volumes with a sourcePath (bind mounts from the host)',
      );
    }
    if (fargate && volume.dockerVolumeConfiguration) {
      sink.add(
        td,
        `/spec/volumes/${index}/dockerVolumeConfiguration`,
        'Fargate does not support Docker volumes',
      );
    }
  });
}

function checkContainer(
  td: Loaded<'TaskDefinition'>,
  container: ContainerDefinition,
  at: string,
  context: {
    fargate: boolean;
    networkMode: string | undefined;
    taskMemory: number | undefined;
    volumeNames: ReadonlySet<string | undefined>;
    sink: ProblemSink;
  },
): void {
  const { sink, networkMode, fargate } = context;
  if (
    context.taskMemory === undefined &&
    container.memory === undefined &&
    container.memoryReservation === undefined
  ) {
    sink.add(
      td,
      at,
      `container "${container.name}" needs memory or memoryReservation when the task has no task-level memory`,
    );
  }
  if (
    container.memory !== undefined &&
    container.memoryReservation !== undefined &&
    container.memoryReservation > container.memory
  ) {
    sink.add(
      td,
      `${at}/memoryReservation`,
      `memoryReservation (${container.memoryReservation} MiB) must not exceed memory (${container.memory} MiB)`,
    );
  }
  if (
    context.taskMemory !== undefined &&
    container.memory !== undefined &&
    container.memory > context.taskMemory
  ) {
    sink.add(
      td,
      `${at}/memory`,
      `container memory (${container.memory} MiB) exceeds the task's memory (${context.taskMemory} MiB)`,
    );
  }
  const ports = new Map<string, number>();
  container.portMappings?.forEach((mapping, i) => {
    const here = `${at}/portMappings/${i}`;
    if (mapping.containerPort === undefined && mapping.containerPortRange === undefined) {
      sink.add(td, here, 'a port mapping needs containerPort or containerPortRange');
    }
    if (mapping.containerPort !== undefined && mapping.containerPortRange !== undefined) {
      sink.add(td, here, 'give containerPort or containerPortRange, not both');
    }
    if (
      (networkMode === 'awsvpc' || networkMode === 'host' || fargate) &&
      mapping.hostPort !== undefined &&
      mapping.containerPort !== undefined &&
      mapping.hostPort !== mapping.containerPort
    ) {
      sink.add(
        td,
        `${here}/hostPort`,
        `with networkMode "${networkMode ?? 'awsvpc'}" hostPort must equal containerPort (${mapping.containerPort}) or be omitted, got ${mapping.hostPort}`,
      );
    }
    if (mapping.containerPort !== undefined) {
      const key = `${mapping.containerPort}/${mapping.protocol ?? 'tcp'}`;
      const first = ports.get(key);
      if (first !== undefined)
        sink.add(td, `${here}/containerPort`, `port ${key} is already mapped by portMappings[${first}]`);
      else ports.set(key, i);
    }
  });
  const mapped = new Set<string>();
  container.mountPoints?.forEach((mount, i) => {
    if (mount.sourceVolume && !context.volumeNames.has(mount.sourceVolume)) {
      sink.add(
        td,
        `${at}/mountPoints/${i}/sourceVolume`,
        `no volume named "${mount.sourceVolume}" in spec.volumes`,
      );
    }
    if (mount.containerPath) {
      if (mapped.has(mount.containerPath))
        sink.add(td, `${at}/mountPoints/${i}/containerPath`, `${mount.containerPath} is mounted twice`);
      mapped.add(mount.containerPath);
    }
  });
  const secretNames = new Set<string>();
  container.secrets?.forEach((secret, i) => {
    if (secretNames.has(secret.name))
      sink.add(td, `${at}/secrets/${i}/name`, `secret "${secret.name}" is defined twice`);
    secretNames.add(secret.name);
  });
  const envNames = new Set<string>();
  container.environment?.forEach((variable, i) => {
    if (variable.name === undefined) return;
    if (envNames.has(variable.name))
      sink.add(td, `${at}/environment/${i}/name`, `environment variable "${variable.name}" is defined twice`);
    if (secretNames.has(variable.name))
      sink.add(
        td,
        `${at}/environment/${i}/name`,
        `"${variable.name}" is both an environment variable and a secret`,
      );
    envNames.add(variable.name);
  });
  if (fargate) {
    if (container.privileged)
      sink.add(td, `${at}/privileged`, 'Fargate does not support privileged containers');
    if (container.links?.length) {
      // reported with the awsvpc rule
    }
    if (container.linuxParameters?.devices?.length)
      sink.add(td, `${at}/linuxParameters/devices`, 'Fargate does not support devices');
  }
  if (container.image && /:latest$/.test(container.image)) {
    sink.warn(
      td,
      `${at}/image`,
      'image tag "latest" is mutable: a redeploy may run different code than the commit says',
    );
  }
}
