package io.sightline.tracking;

import java.util.Arrays;

/**
 * The pairing of rows with columns that maximises the summed weight (Hungarian method, O(n³)), for associating
 * detections with tracks and for matching labelled with tracked identities. Pairs whose weight is not above the
 * floor are never made: a row or column may stay unpaired.
 */
public final class Assignment {

    private Assignment() {}

    /**
     * @param weights {@code weights[row][column]}, rows of equal length
     * @param floor   pairs weighing this or less are not made
     * @return for each row, its column, or -1
     */
    public static int[] maximise(double[][] weights, double floor) {
        int rows = weights.length;
        int columns = rows == 0 ? 0 : weights[0].length;
        int[] pairing = new int[rows];
        Arrays.fill(pairing, -1);
        if (rows == 0 || columns == 0) {
            return pairing;
        }
        // Square cost matrix: a pair below the floor costs as much as leaving both unpaired (weight 0).
        int n = Math.max(rows, columns);
        double max = 0;
        for (double[] row : weights) {
            for (double weight : row) {
                max = Math.max(max, weight);
            }
        }
        double[][] cost = new double[n + 1][n + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double weight = i < rows && j < columns && weights[i][j] > floor ? weights[i][j] : 0;
                cost[i + 1][j + 1] = max - weight;
            }
        }
        int[] columnOf = hungarian(cost, n);
        for (int i = 0; i < rows; i++) {
            int j = columnOf[i];
            if (j < columns && weights[i][j] > floor) {
                pairing[i] = j;
            }
        }
        return pairing;
    }

    /** Minimum-cost perfect matching of an n × n matrix (1-based); returns each row's column (0-based). */
    private static int[] hungarian(double[][] cost, int n) {
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] rowOfColumn = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            rowOfColumn[0] = i;
            int column = 0;
            double[] least = new double[n + 1];
            boolean[] used = new boolean[n + 1];
            Arrays.fill(least, Double.POSITIVE_INFINITY);
            do {
                used[column] = true;
                int row = rowOfColumn[column];
                double delta = Double.POSITIVE_INFINITY;
                int next = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double reduced = cost[row][j] - u[row] - v[j];
                        if (reduced < least[j]) {
                            least[j] = reduced;
                            way[j] = column;
                        }
                        if (least[j] < delta) {
                            delta = least[j];
                            next = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[rowOfColumn[j]] += delta;
                        v[j] -= delta;
                    } else {
                        least[j] -= delta;
                    }
                }
                column = next;
            } while (rowOfColumn[column] != 0);
            do {
                int previous = way[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            } while (column != 0);
        }
        int[] columnOf = new int[n];
        for (int j = 1; j <= n; j++) {
            columnOf[rowOfColumn[j] - 1] = j - 1;
        }
        return columnOf;
    }
}
