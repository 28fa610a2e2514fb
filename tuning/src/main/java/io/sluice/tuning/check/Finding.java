package io.sluice.tuning.check;

/**
 * One operating-system setting as {@code sluice tune check} found it.
 *
 * @param setting     the sysctl or file that holds it, e.g. {@code vm.swappiness}.
 * @param found       its value here, or {@code not exposed}.
 * @param recommended what Sluice recommends.
 * @param verdict     whether it already meets the recommendation.
 * @param why         what the setting does to a Sluice broker.
 */
public record Finding(String setting, String found, String recommended, Verdict verdict, String why)
{
}
